import * as vscode from 'vscode';

const SECTION = 'gitlabCiLens';
const NETWORK_SETTINGS = ['http.proxy', 'http.proxyStrictSSL', 'http.noProxy', 'http.proxyAuthorization', 'http.systemCertificates'];

/** Typed reads of the extension's settings (and VS Code's proxy settings the client honours). */
export class Settings {
  private get config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  get remoteName(): string {
    return this.config.get<string>('remoteName', '').trim();
  }

  get activeRefreshMs(): number {
    return Math.max(2, this.config.get<number>('refresh.activeIntervalSeconds', 5)) * 1000;
  }

  get idleRefreshMs(): number {
    return Math.max(10, this.config.get<number>('refresh.idleIntervalSeconds', 60)) * 1000;
  }

  get refreshWhenUnfocused(): boolean {
    return this.config.get<boolean>('refresh.whenUnfocused', false);
  }

  get pipelineCount(): number {
    return Math.min(100, Math.max(1, this.config.get<number>('pipelines.count', 20)));
  }

  get notifyOnPipelineFinish(): boolean {
    return this.config.get<boolean>('notifyOnPipelineFinish', true);
  }

  get logTimestamps(): 'hide' | 'show' {
    return this.config.get<string>('log.timestamps', 'hide') === 'show' ? 'show' : 'hide';
  }

  get logPollMinMs(): number {
    return Math.max(0.5, this.config.get<number>('log.pollMinSeconds', 1)) * 1000;
  }

  get logPollMaxMs(): number {
    return Math.max(2, this.config.get<number>('log.pollMaxSeconds', 15)) * 1000;
  }

  get artifactsDownloadFolder(): string {
    return this.config.get<string>('artifacts.downloadFolder', '.gitlab/artifacts/${project}/${jobId}-${jobName}');
  }

  get keepArtifactZip(): boolean {
    return this.config.get<boolean>('artifacts.keepZip', false);
  }

  get caFile(): string {
    return this.config.get<string>('tls.caFile', '').trim();
  }

  get ignoreCertificateErrors(): boolean {
    return this.config.get<boolean>('tls.ignoreCertificateErrors', false);
  }

  /** VS Code's own `http.proxy`, so one proxy setting serves every extension. */
  get httpProxy(): string | undefined {
    return vscode.workspace.getConfiguration('http').get<string>('proxy')?.trim() || undefined;
  }

  get httpProxyStrictSsl(): boolean {
    return vscode.workspace.getConfiguration('http').get<boolean>('proxyStrictSSL', true);
  }

  get httpNoProxy(): string[] {
    const entries = vscode.workspace.getConfiguration('http').get<unknown>('noProxy', []);
    return Array.isArray(entries) ? entries.filter((entry): entry is string => typeof entry === 'string') : [];
  }

  /** A whole Proxy-Authorization header value; VS Code's default is null. */
  get httpProxyAuthorization(): string | undefined {
    return vscode.workspace.getConfiguration('http').get<string | null>('proxyAuthorization')?.trim() || undefined;
  }

  get httpSystemCertificates(): boolean {
    return vscode.workspace.getConfiguration('http').get<boolean>('systemCertificates', true);
  }

  /** Fires for changes to this extension's settings or VS Code's network ones. */
  onDidChange(listener: (event: vscode.ConfigurationChangeEvent) => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SECTION) || NETWORK_SETTINGS.some((name) => event.affectsConfiguration(name))) listener(event);
    });
  }
}
