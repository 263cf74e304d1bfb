export { TracklightProvider, type TracklightProviderProps } from './provider.js';
export { TracklightContext, useTracklightClient } from './context.js';
export { useWebSocket, useConnectionStatus, type UseWebSocketResult } from './use-websocket.js';
export { useTopic, type TopicReducer } from './use-topic.js';
export { FrameBatcher } from './frame-batcher.js';
export { retainConnection } from './shared-connection.js';
