import type { Provider } from '@nestjs/common';
import type { Logger } from 'pino';
import type { VerdictConfig } from '@verdict/config';
import type { EventStore } from '@verdict/event-store';
import type { Principal } from '@verdict/domain';
import { EVENT_STORE } from '../infrastructure/tokens';
import { PersonalData } from '../privacy/personal-data';
import { AccessLog } from './access-log';
import { AccessRecording } from './access-recording.interceptor';
import { Authenticator } from './authenticator';
import { GraphqlRoles } from './graphql-roles.guard';
import { KeyDirectory } from './key-directory';
import { KeyStartup } from './key-startup';
import { LiveAccess } from './live-access';
import { OidcVerifier } from './oidc-verifier';
import { RouteAccessCatalog } from './route-access-catalog';

export interface AccessWiring {
  readonly providers: Provider[];
  /** For GraphQL's WebSocket connection_init, which is set up before the providers exist. */
  readonly authenticate: (authorization: string | undefined) => Promise<Principal>;
}

/** Keys, tokens, the access log, and the guard and interceptor that use them. */
export function accessWiring(config: VerdictConfig, logger: Logger): AccessWiring {
  let authenticator: Authenticator | undefined;
  return {
    authenticate: (authorization) => {
      if (!authenticator) return Promise.reject(new Error('the engine is not started'));
      return authenticator.authenticate(authorization);
    },
    providers: [
      { provide: KeyDirectory, useFactory: (store: EventStore) => new KeyDirectory(store, logger), inject: [EVENT_STORE] },
      {
        provide: Authenticator,
        useFactory: (keys: KeyDirectory) => (authenticator = new Authenticator(keys, config.security.oidc ? new OidcVerifier(config.security.oidc) : null)),
        inject: [KeyDirectory],
      },
      { provide: AccessLog, useFactory: (store: EventStore, personal: PersonalData) => new AccessLog(store, (p) => personal.accessParameters(p)), inject: [EVENT_STORE, PersonalData] },
      AccessRecording,
      LiveAccess,
      RouteAccessCatalog,
      GraphqlRoles,
      KeyStartup,
    ],
  };
}
