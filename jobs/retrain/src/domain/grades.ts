/**
 * The label of an exposed item: the strongest thing the same user did with it within the label window
 * after the exposure. Integer grades, because LightGBM's lambdarank indexes its gain table (2^grade − 1)
 * with them; 0 = nothing followed. Keyed by the action names of streamrec.interactions.action.
 */
export const GRADE_BY_ACTION = {
  view: 1,
  click: 2,
  favorite: 3,
  download: 3,
  cart: 4,
  purchase: 5,
} as const;

export type LabelAction = keyof typeof GRADE_BY_ACTION;

export const NO_INTERACTION_GRADE = 0;

/** The grade of one interaction (what the SQL computes with transform()); the label is the maximum. */
export function gradeOf(action: string): number {
  return Object.hasOwn(GRADE_BY_ACTION, action) ? GRADE_BY_ACTION[action as LabelAction] : NO_INTERACTION_GRADE;
}
