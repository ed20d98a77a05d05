/** Electron IPC channel names, shared by main and preload. One channel per command; one for events. */
export const COMMAND_CHANNEL_PREFIX = 'xet:cmd:';
export const EVENT_CHANNEL = 'xet:event';
