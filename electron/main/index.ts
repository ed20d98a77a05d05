import { startDesktopApp } from './lifecycle.js';

startDesktopApp();
