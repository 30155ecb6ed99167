/** A push's progress bar over bytes, with its one-line description read out as a status. */
export function ByteProgress({
  label,
  bytesDone,
  bytesTotal,
  text,
}: {
  label: string;
  bytesDone: number | undefined;
  bytesTotal: number | undefined;
  text: string;
}) {
  const known = bytesTotal !== undefined && bytesTotal > 0;
  return (
    <div className="deploy-push__progress">
      <progress aria-label={label} max={known ? bytesTotal : undefined} value={known ? bytesDone : undefined} />
      <p className="small" role="status">
        {text}
      </p>
    </div>
  );
}
