import type { ReactNode, SVGProps } from 'react';

// Small 16px outline icons, drawn with currentColor so they follow the text colour in both themes.
type IconProps = SVGProps<SVGSVGElement>;

function Icon({ children, ...props }: IconProps) {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...props}
    >
      {children}
    </svg>
  );
}

/** An icon of the set: its shapes inside the shared frame; props (a class, a title) go to the svg. */
function outlineIcon(shapes: ReactNode) {
  return function OutlineIcon(props: IconProps) {
    return <Icon {...props}>{shapes}</Icon>;
  };
}

export function LogoMark(props: IconProps) {
  return (
    <Icon viewBox="0 0 24 24" width="22" height="22" strokeWidth="1.75" {...props}>
      <path d="M12 2.5 20.5 7.25v9.5L12 21.5l-8.5-4.75v-9.5z" />
      <path d="M12 7.5v4.5m0 0 3.9 2.2M12 12l-3.9 2.2" />
    </Icon>
  );
}

export const SunIcon = outlineIcon(
  <>
    <circle cx="8" cy="8" r="3" />
    <path d="M8 1v1.5M8 13.5V15M1 8h1.5M13.5 8H15M3.05 3.05l1.06 1.06M11.89 11.89l1.06 1.06M3.05 12.95l1.06-1.06M11.89 4.11l1.06-1.06" />
  </>,
);

export const MoonIcon = outlineIcon(<path d="M13.5 9.5A5.75 5.75 0 1 1 6.5 2.5a4.75 4.75 0 0 0 7 7z" />);

export const MonitorIcon = outlineIcon(
  <>
    <rect x="1.75" y="2.5" width="12.5" height="8.5" rx="1.25" />
    <path d="M5.5 14h5M8 11v3" />
  </>,
);

export const ChevronDownIcon = outlineIcon(<path d="m4 6 4 4 4-4" />);

export const ArrowLeftIcon = outlineIcon(<path d="M13 8H3m4-4L3 8l4 4" />);

export const ArrowRightIcon = outlineIcon(<path d="M3 8h10M9 4l4 4-4 4" />);

export const RefreshIcon = outlineIcon(
  <>
    <path d="M13.5 8A5.5 5.5 0 1 1 11.9 4.1" />
    <path d="M12.5 1.5v3h-3" />
  </>,
);

export const PackageIcon = outlineIcon(
  <>
    <path d="M8 1.5 14 4.75v6.5L8 14.5l-6-3.25v-6.5z" />
    <path d="M2 4.75 8 8l6-3.25M8 8v6.5" />
  </>,
);

export const AlertIcon = outlineIcon(
  <>
    <path d="M8 1.75 15 14H1z" />
    <path d="M8 6.25v3.25M8 11.75v.01" />
  </>,
);

export const InfoIcon = outlineIcon(
  <>
    <circle cx="8" cy="8" r="6.5" />
    <path d="M8 7.25v4M8 4.75v.01" />
  </>,
);

export const CheckIcon = outlineIcon(<path d="m3 8.5 3 3 7-7" />);

export const PlusIcon = outlineIcon(<path d="M8 3v10M3 8h10" />);
