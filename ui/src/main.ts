import './styles/app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { installTooltips } from './lib/tooltips';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');

// Our own tooltips in place of WebKit's native ones, which stuck over rows (issue 17 item 9).
installTooltips(document);

export default mount(App, { target });
