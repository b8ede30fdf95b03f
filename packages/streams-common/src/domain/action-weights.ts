import { z } from 'zod';
import type { InteractionAction } from '@streamrec/schemas';

/** How much each interaction says about interest; one number per events.interactions.v1 action. */
export type ActionWeights = Readonly<Record<InteractionAction, number>>;

const weight = (fallback: number) => z.number().finite().min(0).default(fallback);

// `satisfies` makes the compiler reject a missing or an unknown action (the Avro enum is the list).
const weightShape = {
  view: weight(1),
  click: weight(2),
  download: weight(3),
  favorite: weight(4),
  cart: weight(5),
  purchase: weight(10),
} satisfies Record<InteractionAction, z.ZodType<number>>;

/** Defaults: view 1, click 2, download 3, favorite 4, cart 5, purchase 10. */
export const actionWeightsSchema = z.object(weightShape);

export const interactionActions: readonly InteractionAction[] = Object.freeze(Object.keys(weightShape) as InteractionAction[]);
