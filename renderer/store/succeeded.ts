/**
 * A call a form waits on to close or go on: true once `run` is done, false once `failed` has stored why. The error
 * goes no further: the slice shows it.
 */
export async function succeeded(run: () => Promise<void>, failed: (error: unknown) => void): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (error) {
    failed(error);
    return false;
  }
}
