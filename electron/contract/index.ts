export * from './names.js';
export * from './result.js';
export * from './commands.js';
export * from './profiles.js';
export * from './events.js';
export * from './api.js';
export * from './checks.js';
export * from './har.js';
