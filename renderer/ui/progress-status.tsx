/** A progress bar with the line that says where the work stands (a live status for screen readers). */
export function ProgressStatus({
  className,
  label,
  value,
  max,
  text,
}: {
  className: string;
  label: string;
  value: number;
  max: number;
  text: string;
}) {
  return (
    <div className={className}>
      <progress aria-label={label} value={value} max={Math.max(max, 1)} />
      <p className="small muted" role="status">
        {text}
      </p>
    </div>
  );
}
