import { inputError } from './errors.ts';

/**
 * A server's bind failure the user can act on (a port in use, a host that is not this machine's),
 * as bad input the CLI shows in one line with exit 65; any other error as it is.
 */
export function listenError(e: NodeJS.ErrnoException, host: string, port: number): Error {
  switch (e.code) {
    case 'EADDRINUSE':
      return inputError(`port ${port} on ${host} is in use; pick another with --port, or --port 0 for a free one`);
    case 'EACCES':
      return inputError(`port ${port} on ${host} needs privileges this user lacks; pick one above 1023 with --port`);
    case 'EADDRNOTAVAIL':
      return inputError(`${host} is not an address of this machine (--host)`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return inputError(`${host} does not resolve to an address (--host)`);
    default:
      return e;
  }
}
