import { mount } from 'svelte';
import App from './App.svelte';
import { pickApi } from './lib/api.js';
import './app.css';
import './checks.css';
import './check-rows.css';
import './findings.css';
import './history.css';
import './har.css';
import './archive.css';
import './archive-result.css';
import './overview.css';
import './appliance-logs.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app element missing from index.html');
mount(App, { target, props: { api: pickApi() } });
