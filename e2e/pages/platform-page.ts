import { expect, type Page } from "@playwright/test";

/** The signed-in dashboard shell: tenant switcher, navigation, sign-out. */
export class PlatformPage {
  constructor(readonly page: Page) {}

  async expectTenant(name: string) {
    await expect(this.page).toHaveURL(/\/platform$/);
    await expect(this.page.getByTestId("tenant-name")).toHaveText(name);
  }

  async createTenant(name: string) {
    await this.page.getByTestId("new-tenant").click();
    const form = this.page.getByTestId("create-tenant-form");
    await form.getByLabel("New workspace name").fill(name);
    await form.getByRole("button", { name: "Create" }).click();
  }

  async switchTo(name: string) {
    await this.page.getByTestId("tenant-switcher").selectOption({ label: name });
  }

  async signOut() {
    await this.page.getByTestId("sign-out").click();
    await expect(this.page).toHaveURL(/\/sign-in/);
  }
}
