export { type EventConsumerOptions, eventConsumer } from './eventConsumer';
