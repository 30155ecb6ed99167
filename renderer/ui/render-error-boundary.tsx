import { Component, useState, type ErrorInfo, type ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { AlertIcon } from './icons';

interface Props {
  /** What failed, in the operator's words: a step's title, or the window. */
  where: string;
  /** The way out besides trying again, e.g. the previous step; none where there is nothing to go back to. */
  back?: { label: string; go(): void };
  /** What the operator can still do, shown under the error. */
  hint: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
  componentStack: string;
}

/**
 * Catches a rendering error below it and shows what failed instead of a white page; the rest of the window keeps
 * working. React has no hook for this: an error boundary is a class component.
 */
export class RenderErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, componentStack: '' };

  static getDerivedStateFromError(thrown: unknown): Partial<State> {
    return { error: thrown instanceof Error ? thrown : new Error(String(thrown)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`Airspray: ${this.props.where} failed to render:`, error, info.componentStack);
    this.setState({ componentStack: info.componentStack ?? '' });
  }

  override render() {
    const { error, componentStack } = this.state;
    if (!error) return this.props.children;
    const { where, back, hint } = this.props;
    const details = `${where} failed to render: ${error.message}\n\n${error.stack ?? ''}\n\nComponents:${componentStack}`;
    return (
      <div className="callout callout--danger" role="alert">
        <AlertIcon />
        <div className="callout__body render-error">
          <p className="callout__title">
            <FormattedMessage id="ui.renderError.title" values={{ where }} />
          </p>
          <p className="render-error__message">{error.message}</p>
          <p className="small muted">{hint}</p>
          <div className="render-error__actions">
            <button type="button" className="btn" onClick={() => this.setState({ error: null, componentStack: '' })}>
              <FormattedMessage id="ui.renderError.tryAgain" />
            </button>
            {back && (
              <button type="button" className="btn" onClick={back.go}>
                {back.label}
              </button>
            )}
            <CopyDetailsButton details={details} />
          </div>
        </div>
      </div>
    );
  }
}

function CopyDetailsButton({ details }: { details: string }) {
  const intl = useIntl();
  const [outcome, setOutcome] = useState('');
  // Through a promise: outside a secure context `navigator.clipboard` is missing, and that failure is shown too.
  const copy = () =>
    Promise.resolve()
      .then(() => navigator.clipboard.writeText(details))
      .then(
        () => setOutcome(intl.formatMessage({ id: 'ui.renderError.copied' })),
        (error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          setOutcome(intl.formatMessage({ id: 'ui.renderError.copyFailed' }, { reason }));
        },
      );
  return (
    <>
      <button type="button" className="btn" onClick={() => void copy()}>
        <FormattedMessage id="ui.renderError.copy" />
      </button>
      {outcome && (
        <span className="small muted" role="status">
          {outcome}
        </span>
      )}
    </>
  );
}
