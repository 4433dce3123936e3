// The screens of the navigation rail, in order. A new screen (scoring,
// decisions, letters…) is one entry here, a ScreenId and a catalogue label.
import type { Component } from 'svelte';
import type { Messages } from '../i18n/catalogues';
import type { IconName } from '../components/Icon.svelte';
import type { ScreenId } from '../state/workbench.svelte';
import Overview from './Overview.svelte';
import Applications from './Applications.svelte';
import ImportScreen from './ImportScreen.svelte';
import Settings from './Settings.svelte';
import Decisions from './Decisions.svelte';
import Letters from './Letters.svelte';
import Operations from './Operations.svelte';

export interface ScreenDef {
  id: ScreenId;
  icon: IconName;
  label: (t: Messages) => string;
  component: Component;
}

export const SCREENS: readonly ScreenDef[] = [
  { id: 'overview', icon: 'overview', label: (t) => t.nav.overview, component: Overview },
  { id: 'applications', icon: 'applications', label: (t) => t.nav.applications, component: Applications },
  { id: 'import', icon: 'import', label: (t) => t.nav.import, component: ImportScreen },
  { id: 'decisions', icon: 'decisions', label: (t) => t.nav.decisions, component: Decisions },
  { id: 'letters', icon: 'letters', label: (t) => t.nav.letters, component: Letters },
  { id: 'operations', icon: 'samples', label: (t) => t.nav.operations, component: Operations },
  { id: 'settings', icon: 'settings', label: (t) => t.nav.settings, component: Settings },
];
