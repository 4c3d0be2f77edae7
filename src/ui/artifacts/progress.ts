import * as vscode from 'vscode';
import type { ArchiveDownloadProgress, DownloadProgress } from '../../gitlab/archive/download';
import { formatBytes } from '../tree/nodes';

type Progress = ArchiveDownloadProgress | ({ phase?: undefined } & DownloadProgress);

/** Of the progress bar, the share the download takes when an extraction follows it. */
const DOWNLOAD_SHARE = 0.8;

/**
 * Runs `work` under a cancellable notification that shows bytes, rate and extraction as the core reports
 * them. Cancel aborts the signal the core was given; nothing else of VS Code reaches the core.
 */
export function withDownloadProgress<T>(title: string, work: (signal: AbortSignal, report: (progress: Progress) => void) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const cancellation = token.onCancellationRequested(() => controller.abort());
    let shown = 0;
    const advanceTo = (fraction: number, message: string): void => {
      const percent = Math.min(100, Math.max(shown, Math.round(fraction * 100)));
      progress.report({ message, increment: percent - shown });
      shown = percent;
    };
    try {
      return await work(controller.signal, (update) => {
        if (update.phase === 'extract') {
          const done = update.entriesTotal === 0 ? 1 : update.entriesDone / update.entriesTotal;
          advanceTo(DOWNLOAD_SHARE + (1 - DOWNLOAD_SHARE) * done, `extracting ${update.entriesDone} of ${update.entriesTotal} entries`);
        } else {
          const share = update.phase === 'download' ? DOWNLOAD_SHARE : 1;
          const of = update.total === undefined ? '' : ` of ${formatBytes(update.total)}`;
          advanceTo(update.total ? (share * update.bytes) / update.total : 0, `${formatBytes(update.bytes)}${of} · ${formatBytes(update.bytesPerSecond)}/s`);
        }
      });
    } finally {
      cancellation.dispose();
    }
  });
}
