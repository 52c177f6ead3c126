export { connectSsh, sshConnectionsOpened } from './connect';
export type { SshAuth, SshConnectOptions } from './connect';
export type { ExecOptions, ExecResult, SshHostKey, SshSession } from './session';
export type { SshError } from './ssh-error';
export {
  createFileKnownHostsStore,
  createMemoryKnownHostsStore,
  knownHostName,
} from './known-hosts';
export type { KnownHostsStore } from './known-hosts';
export { fingerprintSha256 } from './host-key';
export type { HostKeyInfo } from './host-key';
