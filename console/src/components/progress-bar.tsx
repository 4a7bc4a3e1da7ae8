import type { ProgressColor } from '../api/client';

const COLOR_WORDS: Record<ProgressColor, string> = {
  on_track: 'on track',
  at_risk: 'at risk',
  needs_attention: 'needs attention',
};

/** Progress with its status colour, and the status in words too, so colour is never the only signal. */
export function ProgressBar({
  progress,
  color,
  label,
}: {
  progress: number;
  color: ProgressColor;
  label: string;
}) {
  const percent = Math.round(progress);
  return (
    <div class="progress">
      <div
        class="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div class={`progress-fill ${color}`} style={{ width: `${Math.min(100, Math.max(0, progress))}%` }} />
      </div>
      <span class="progress-words">
        {percent}% · {COLOR_WORDS[color]}
      </span>
    </div>
  );
}
