// Every result tied to its own order (issue 10 §5): the rule lives with the routes, which know the forms
// our order number takes (routes/order-numbers.ts); the workflows call it through routes/index.ts.
export { foreignOrder } from '../routes/order-numbers';
