/* global document, MutationObserver */
// Debian's Chromium driven by playwright-core: Playwright's own browser downloads are not reachable here.
import { chromium } from 'playwright-core';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox', // root in a container has no user namespaces for the sandbox
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Workbenches newer than 1.100 honour the test payload only in smoke-test mode, which they read from this
 * element's data-settings before starting. Harmless on 1.100; kept so a code-server upgrade keeps working.
 * Runs in the page, so it may use only what the page has.
 */
function enableSmokeTestDriver() {
  const configId = 'vscode-workbench-web-configuration';
  const patch = (element) => {
    const settings = JSON.parse(element.getAttribute('data-settings') ?? '{}');
    if (settings.developmentOptions?.enableSmokeTestDriver) return;
    settings.developmentOptions = { ...settings.developmentOptions, enableSmokeTestDriver: true };
    element.setAttribute('data-settings', JSON.stringify(settings));
  };
  new MutationObserver((_mutations, observer) => {
    const element = document.getElementById(configId);
    if (element?.hasAttribute('data-settings')) {
      patch(element);
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true, attributes: true });
}

/** A headless Chromium with its profile in profileDir. Close the returned context to end it. */
export async function launchChromium({ profileDir, viewport = { width: 1280, height: 800 } }) {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  await context.addInitScript(enableSmokeTestDriver);
  return context;
}
