import { Option } from 'commander';

/** `--url`, from VERDICT_URL when not given: the engine every CLI speaks to. */
export const engineUrlOption = (): Option => new Option('--url <url>', 'base URL of the engine').env('VERDICT_URL').default('http://127.0.0.1:3000');

/**
 * `--api-key`, from VERDICT_API_KEY when not given. Read from the environment by name, so help shows the variable,
 * never the secret it holds (an API key on screen ends up in scrollback and CI logs).
 */
export const apiKeyOption = (what: string): Option => new Option('--api-key <key>', what).env('VERDICT_API_KEY');
