import type { Operator } from '../../protocol/national-header';

/** The 五期 envelope's operator, from the terminal's signed-in one: its id and name cut to the envelope's lengths. */
export const wuqiOperator = (o: Operator) => ({ id: o.opter.slice(0, 20), name: o.opter_name.slice(0, 100) });
