/**
 * Errors meant for the person running the tool. The CLI prints `message` alone (no stack trace)
 * and exits non-zero; anything else that escapes is a bug in this project and is shown with its stack.
 */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'UserError';
  }
}
