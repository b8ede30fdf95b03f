import {
  ActionType,
  EVENT_CATEGORY,
  actionKeyId,
  datasetSku,
  namedAction,
  pageUrlAction,
  type ActionKey,
} from './matomo.js';
import type { ProductInfo, SessionRecord } from './session-model.js';
import { MS_PER_SECOND } from './types.js';

/** One matomo_log_link_visit_action row, with log_action references still as keys. */
export interface LinkActionPlan {
  readonly stepIndex: number;
  readonly serverTime: Date;
  readonly url: ActionKey;
  /** Page title (type 4) of a pageview; event name (type 12, the dataset id) of an event. */
  readonly name: ActionKey;
  readonly urlRef: ActionKey | null;
  readonly nameRef: ActionKey | null;
  readonly pageviewId: string;
  readonly pageviewPosition: number | null;
  readonly timeSpentRefAction: number;
  /** Seconds until the visitor's next action; unknown (null) until that action happened. */
  readonly timeSpent: number | null;
  readonly eventCategory: ActionKey | null;
  readonly eventAction: ActionKey | null;
  readonly customFloat: number | null;
  readonly product: ProductActions | null;
}

export interface ProductActions {
  readonly sku: ActionKey;
  readonly name: ActionKey;
  readonly category: ActionKey;
  readonly price: number;
}

/** An ecommerce order conversion (idgoal 0) and its items. */
export interface ConversionPlan {
  readonly orderIndex: number;
  readonly serverTime: Date;
  /** Step of the checkout pageview: its link row is the conversion's idlink_va. */
  readonly checkoutStepIndex: number;
  readonly url: ActionKey;
  readonly urlText: string;
  readonly items: readonly (ProductActions & { readonly quantity: number })[];
  readonly revenue: number;
  readonly pageviewsBefore: number;
}

export const productActions = (product: ProductInfo): ProductActions => ({
  sku: namedAction(ActionType.EcommerceItemSku, datasetSku(product.datasetId)),
  name: namedAction(ActionType.EcommerceItemName, product.name),
  category: namedAction(ActionType.EcommerceItemCategory, product.category),
  price: product.priceCents / 100,
});

const secondsBetween = (from: Date, to: Date): number =>
  Math.max(0, Math.round((to.getTime() - from.getTime()) / MS_PER_SECOND));

export function linkActionsOf(session: SessionRecord, upto: number = session.steps.length): LinkActionPlan[] {
  const plans: LinkActionPlan[] = [];
  let previous: LinkActionPlan | null = null;
  let position = 0;
  for (let index = 0; index < Math.min(upto, session.steps.length); index++) {
    const step = session.steps[index];
    if (!step || step.kind === 'payment') continue;
    const next = index + 1 < upto ? session.steps[index + 1] : undefined;
    const common = {
      stepIndex: index,
      serverTime: step.at,
      url: pageUrlAction(step.page.url),
      urlRef: previous?.url ?? null,
      nameRef: previous?.name ?? null,
      pageviewId: step.pageviewId,
      timeSpentRefAction: previous ? secondsBetween(previous.serverTime, step.at) : 0,
    };
    const plan: LinkActionPlan =
      step.kind === 'pageview'
        ? {
            ...common,
            name: namedAction(ActionType.PageTitle, step.page.title),
            pageviewPosition: ++position,
            timeSpent: next ? secondsBetween(step.at, next.at) : null,
            eventCategory: null,
            eventAction: null,
            customFloat: null,
            product: step.product ? productActions(step.product) : null,
          }
        : {
            ...common,
            name: namedAction(ActionType.EventName, String(step.datasetId)),
            pageviewPosition: null,
            timeSpent: null,
            eventCategory: namedAction(ActionType.EventCategory, EVENT_CATEGORY),
            eventAction: namedAction(ActionType.EventAction, step.action),
            customFloat: step.value,
            product: null,
          };
    plans.push(plan);
    previous = plan;
  }
  return plans;
}

export function conversionsOf(session: SessionRecord, upto: number = session.steps.length): ConversionPlan[] {
  const conversions: ConversionPlan[] = [];
  let pageviews = 0;
  session.steps.slice(0, upto).forEach((step) => {
    if (step.kind === 'pageview') pageviews++;
    if (step.kind !== 'payment') return;
    const order = session.orders[step.orderIndex];
    if (!order || order.paidAt === null) return;
    const checkoutStepIndex = session.steps.findIndex((s) => s.kind === 'pageview' && s.orderIndex === step.orderIndex);
    const checkout = session.steps[checkoutStepIndex];
    if (!checkout || checkout.kind !== 'pageview') return;
    conversions.push({
      orderIndex: step.orderIndex,
      serverTime: step.at,
      checkoutStepIndex,
      url: pageUrlAction(checkout.page.url),
      urlText: checkout.page.url,
      items: order.items.map((item) => ({ ...productActions(item), quantity: item.quantity })),
      revenue: order.totalCents / 100,
      pageviewsBefore: pageviews,
    });
  });
  return conversions;
}

/** Every distinct log_action row the first `upto` steps refer to. */
export function actionKeysOf(session: SessionRecord, upto: number = session.steps.length): ActionKey[] {
  const keys = new Map<string, ActionKey>();
  const add = (key: ActionKey | null): void => {
    if (key) keys.set(actionKeyId(key), key);
  };
  for (const plan of linkActionsOf(session, upto)) {
    add(plan.url);
    add(plan.name);
    add(plan.eventCategory);
    add(plan.eventAction);
    if (plan.product) for (const key of [plan.product.sku, plan.product.name, plan.product.category]) add(key);
  }
  for (const conversion of conversionsOf(session, upto)) {
    add(conversion.url);
    for (const item of conversion.items) for (const key of [item.sku, item.name, item.category]) add(key);
  }
  return [...keys.values()];
}
