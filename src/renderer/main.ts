import { mount } from 'svelte';
import App from './App.svelte';
import { i18n } from './i18n/i18n.svelte';
import './styles.css';

document.documentElement.lang = i18n.locale;
const target = document.getElementById('app');
if (!target) throw new Error('#app missing from index.html');
mount(App, { target });
