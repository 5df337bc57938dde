// The whole environment a renderer gets: PATH, a throwaway HOME and Helm directories, no kubeconfig, and
// proxies that lead nowhere, so that even an entry that slipped through cannot reach the network.
import { join } from 'node:path';

const NOWHERE = 'http://127.0.0.1:9';

export function toolEnv(path: string | undefined, home: string): Record<string, string> {
  return {
    PATH: path ?? '',
    HOME: home,
    LANG: 'C',
    KUBECONFIG: join(home, 'no-kubeconfig'),
    HELM_CACHE_HOME: join(home, 'helm-cache'),
    HELM_CONFIG_HOME: join(home, 'helm-config'),
    HELM_DATA_HOME: join(home, 'helm-data'),
    HTTP_PROXY: NOWHERE,
    HTTPS_PROXY: NOWHERE,
    http_proxy: NOWHERE,
    https_proxy: NOWHERE,
    ALL_PROXY: NOWHERE,
    NO_PROXY: '',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_ALLOW_PROTOCOL: 'none',
  };
}
