import { expect } from '@playwright/test';
import type { ElectronApplication, Page } from '@playwright/test';

/** The app as a flow sees it, whichever shell draws it. */
export interface AppWindow {
  page: Page;
  /** Shows a screen by its hash route ('' or '#/' for home, '#/troubleshoot', ...). */
  open(route: string): Promise<void>;
  /** Shows a saved file (an exported report) in a window of its own. */
  openFile(file: string): Promise<Page>;
}

/** The renderer served by `homeward serve` at `url`, in a browser tab. */
export function browserWindow(page: Page, url: string): AppWindow {
  return {
    page,
    open: async (route) => {
      await page.goto(`${url}${route}`);
    },
    openFile: async (file) => {
      const tab = await page.context().newPage();
      await tab.goto(`file://${file}`);
      return tab;
    },
  };
}

/** The Electron shell's main window; other windows are made by its main process. */
export function electronWindow(app: ElectronApplication, page: Page): AppWindow {
  return {
    page,
    open: async (route) => {
      await page.evaluate((hash) => (window.location.hash = hash), route || '#/');
      await expect(page.getByTestId('app-name')).toBeVisible();
    },
    openFile: async (file) => {
      const opened = app.waitForEvent('window');
      await app.evaluate(async ({ BrowserWindow }, path) => {
        await new BrowserWindow({ width: 1280, height: 800 }).loadFile(path);
      }, file);
      return opened;
    },
  };
}
