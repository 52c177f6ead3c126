import { api } from '../../lib/api';
import { SetupWizardState } from '../../state/setup-wizard.svelte';

/** One wizard per page: leaving #/setup and coming back keeps what was typed. */
export const wizard = new SetupWizardState(api);
