/** The one-line reason inside Ansible's result JSON ("msg"), or the raw text when it is not JSON. */
export function failureReason(message: string): string {
  try {
    const parsed = JSON.parse(message) as { msg?: unknown; stderr?: unknown };
    const reason =
      typeof parsed.msg === 'string' && parsed.msg
        ? parsed.msg
        : typeof parsed.stderr === 'string'
          ? parsed.stderr
          : message;
    return reason.trim();
  } catch {
    return message.trim();
  }
}
