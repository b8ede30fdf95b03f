import { BuyerType, EventAction, type Page } from './matomo.js';
import type { SessionRecord } from './session-model.js';
import { MS_PER_HOUR, MS_PER_SECOND } from './types.js';

/** The log_visit columns that follow from the first `upto` steps of a visit. */
export interface VisitSummary {
  readonly firstActionAt: Date;
  readonly lastActionAt: Date;
  readonly totalActions: number;
  readonly totalPageviews: number;
  readonly totalEvents: number;
  readonly totalInteractions: number;
  readonly entry: Page | null;
  readonly exit: Page | null;
  readonly goalConverted: boolean;
  readonly buyer: BuyerType;
  /** Index of the last step that is a log_link_visit_action row (pageview or event). */
  readonly lastLinkStep: number | null;
  readonly totalTimeSeconds: number;
  /** 0 new, 1 returning, 2 returning customer (VisitorReturning dimension). */
  readonly returning: 0 | 1 | 2;
  readonly countVisits: number;
  readonly secondsSinceFirst: number;
  readonly secondsSinceLast: number;
  readonly secondsSinceOrder: number | null;
  /** The visitor's wall-clock time at the first action ('HH:MM:SS'). */
  readonly localTime: string;
}

const seconds = (from: Date, to: Date): number => Math.max(0, Math.round((to.getTime() - from.getTime()) / MS_PER_SECOND));

export function summariseVisit(session: SessionRecord, upto: number = session.steps.length): VisitSummary {
  const steps = session.steps.slice(0, Math.max(1, upto));
  const firstActionAt = steps[0]?.at ?? session.startAt;
  const lastActionAt = steps.at(-1)?.at ?? session.startAt;
  let pageviews = 0;
  let events = 0;
  let entry: Page | null = null;
  let exit: Page | null = null;
  let lastLinkStep: number | null = null;
  let ordered = false;
  const carted = new Set<number>();
  const checkedOut = new Set<number>();
  steps.forEach((step, index) => {
    if (step.kind === 'pageview') {
      pageviews++;
      entry ??= step.page;
      exit = step.page;
      lastLinkStep = index;
      if (step.orderIndex !== null) {
        for (const item of session.orders[step.orderIndex]?.items ?? []) checkedOut.add(item.datasetId);
      }
    } else if (step.kind === 'event') {
      events++;
      lastLinkStep = index;
      if (step.action === EventAction.AddToCart) carted.add(step.datasetId);
    } else if (session.orders[step.orderIndex]?.paidAt) {
      ordered = true;
    }
  });
  const openCart = [...carted].some((id) => !checkedOut.has(id));
  const { history } = session;
  const returning = history.visitCount === 0 ? 0 : history.lastOrderAt !== null ? 2 : 1;
  return {
    firstActionAt,
    lastActionAt,
    totalActions: pageviews + events,
    totalPageviews: pageviews,
    totalEvents: events,
    totalInteractions: pageviews + events,
    entry,
    exit,
    goalConverted: ordered,
    buyer: ordered ? (openCart ? BuyerType.OrderedAndOpenCart : BuyerType.Ordered) : openCart ? BuyerType.OpenCart : BuyerType.None,
    lastLinkStep,
    totalTimeSeconds: seconds(firstActionAt, lastActionAt),
    returning,
    countVisits: history.visitCount + 1,
    secondsSinceFirst: history.firstVisitAt ? seconds(history.firstVisitAt, firstActionAt) : 0,
    secondsSinceLast: history.lastVisitAt ? seconds(history.lastVisitAt, firstActionAt) : 0,
    secondsSinceOrder: history.lastOrderAt ? seconds(history.lastOrderAt, firstActionAt) : null,
    localTime: localClock(firstActionAt, session.visitor.country.utcOffsetHours),
  };
}

function localClock(at: Date, utcOffsetHours: number): string {
  const local = new Date(at.getTime() + utcOffsetHours * MS_PER_HOUR);
  return local.toISOString().slice(11, 19);
}
