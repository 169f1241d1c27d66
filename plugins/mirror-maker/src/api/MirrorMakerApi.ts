import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';

/** What `GET /api/mirror-maker/health` answers. */
export interface MirrorMakerHealth {
  status: 'ok' | 'error';
  database: { ok: boolean; message?: string };
  deployTargets: { name: string; ready: boolean; message?: string }[];
}

/** Client of the mirror-maker backend's REST API. */
export interface MirrorMakerApi {
  getHealth(): Promise<MirrorMakerHealth>;
}

export const mirrorMakerApiRef = createApiRef<MirrorMakerApi>({
  id: 'plugin.mirror-maker.service',
});

export class MirrorMakerClient implements MirrorMakerApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getHealth(): Promise<MirrorMakerHealth> {
    const baseUrl = await this.discoveryApi.getBaseUrl('mirror-maker');
    const response = await this.fetchApi.fetch(`${baseUrl}/health`);
    // 503 still carries a health document that says what is wrong.
    if (!response.ok && response.status !== 503) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as MirrorMakerHealth;
  }
}
