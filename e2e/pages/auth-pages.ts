import { expect, type Page } from "@playwright/test";

/** Sign-up and sign-in as a user would do them, through the forms. */
export class AuthPages {
  constructor(private readonly page: Page) {}

  async signUp(input: { name: string; email: string; password: string; tenantName?: string }) {
    await this.page.goto("/sign-up");
    const form = this.page.getByTestId("sign-up-form");
    await form.getByLabel("Your name").fill(input.name);
    await form.getByLabel("Email").fill(input.email);
    await form.getByLabel("Password").fill(input.password);
    if (input.tenantName) await form.getByLabel("Workspace name (optional)").fill(input.tenantName);
    await form.getByRole("button", { name: "Create account" }).click();
  }

  async signIn(email: string, password: string) {
    await this.page.goto("/sign-in");
    const form = this.page.getByTestId("sign-in-form");
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Password").fill(password);
    await form.getByRole("button", { name: "Sign in" }).click();
  }

  async expectError(text: RegExp | string) {
    await expect(this.page.getByTestId("form-error")).toContainText(text);
  }
}
