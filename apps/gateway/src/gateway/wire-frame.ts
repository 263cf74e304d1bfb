// The wire form of events is built by the bus, once per event (its history keeps the frames).
export { binaryFrame, eventFrame, framePayload, textFrame } from '../bus/event-frame.js';
export { eventJson } from '../bus/event-json.js';
