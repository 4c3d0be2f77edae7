import * as vscode from 'vscode';
import type { Services } from '../services';

/**
 * Registers a command whose failures are reported (short message + "Open Log"), never left as an
 * unhandled rejection. `action` names it for the user: "Retry job".
 */
export function registerCommand(services: Services, id: string, action: string, handler: (...args: unknown[]) => unknown): void {
  services.context.subscriptions.push(
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        await services.log.reportFailure(action, error);
        return undefined;
      }
    }),
  );
}
