import { z } from 'zod';
import { HostRefSchema, keySessionMethod } from './cluster-api';
import { hostOutcomeFields } from './deploy-api';

/**
 * Days left under which a certificate is shown amber, and red (the CLI's --warn-days and --fail-days default to these).
 */
export const defaultWarnDays = 30;
export const defaultFailDays = 7;

/** One X.509 certificate as read from a file on a host. */
export const CertificateSchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  notBefore: z.iso.datetime(),
  notAfter: z.iso.datetime(),
  /** Whole days from the check to notAfter, rounded down; negative once expired. */
  daysLeft: z.number().int(),
  /** basicConstraints CA:TRUE: a CA lives 10 years under kubeadm, and `kubeadm certs renew` does not renew it. */
  isCa: z.boolean(),
});
export type Certificate = z.infer<typeof CertificateSchema>;

/**
 * found: parsed; missing: no such file (not an error on its own); unreadable: there, but no certificate could be read
 * from it.
 */
export const CertificateFileStateSchema = z.enum(['found', 'missing', 'unreadable']);

export const CertificateFileSchema = z.object({
  path: z.string(),
  /** What it is, as an operator would name it: "Kubernetes CA", "API server", "etcd member". */
  label: z.string(),
  state: CertificateFileStateSchema,
  /** Why it is unreadable. */
  message: z.string().optional(),
  /** A file may hold a chain: every certificate in it, in order. */
  certificates: z.array(CertificateSchema),
});
export type CertificateFile = z.infer<typeof CertificateFileSchema>;

/** `ok` is false when the host could not be read, or none of the files it should hold was there. */
export const HostCertificatesSchema = z.object({
  ...hostOutcomeFields,
  message: z.string().optional(),
  files: z.array(CertificateFileSchema),
});
export type HostCertificates = z.infer<typeof HostCertificatesSchema>;

export const CertificateReportSchema = z.object({
  checkedAt: z.iso.datetime(),
  hosts: z.array(HostCertificatesSchema),
});
export type CertificateReport = z.infer<typeof CertificateReportSchema>;

export type ExpiryTone = 'ok' | 'warn' | 'fail';

/** How urgent a certificate is: fail under failDays (red), warn under warnDays (amber). */
export function expiryTone(
  daysLeft: number,
  thresholds: { warnDays: number; failDays: number } = { warnDays: defaultWarnDays, failDays: defaultFailDays },
): ExpiryTone {
  if (daysLeft < thresholds.failDays) return 'fail';
  return daysLeft < thresholds.warnDays ? 'warn' : 'ok';
}

/** Every certificate of the report, with its host and file, soonest to expire first. */
export function certificatesBySoonest(
  report: CertificateReport,
): { host: string; file: CertificateFile; certificate: Certificate }[] {
  const rows = report.hosts.flatMap((host) =>
    host.files.flatMap((file) => file.certificates.map((certificate) => ({ host: host.name, file, certificate }))),
  );
  return rows.sort((a, b) => a.certificate.daysLeft - b.certificate.daysLeft);
}

/** A control plane the renewal finished on: kubeadm renewed, its static pods restarted, its API answering again. */
export const RenewedNodeSchema = HostRefSchema.extend({ renewedAt: z.iso.datetime() });

/**
 * One renewal, control plane by control plane. `stopped` names the node that stopped it and why (down, sudo refused,
 * kubeadm failed, its API did not answer again); `remaining` are the control planes not renewed, that node first:
 * run again with them as `hosts` to finish.
 */
export const CertificateRenewalSchema = z.object({
  renewed: z.array(RenewedNodeSchema),
  stopped: HostRefSchema.extend({ reason: z.string() }).optional(),
  remaining: z.array(z.string()),
  /** The expiry table read again after the renewal (also after a stop). */
  report: CertificateReportSchema,
});
export type CertificateRenewal = z.infer<typeof CertificateRenewalSchema>;

/** Certificates on the cluster's hosts (spread into api.ts). */
export const certsApiMethods = {
  /**
   * Reads every certificate kubespray and kubeadm made on each host of the plan (one SSH login per host, with the
   * deploy key).
   */
  'certs.check': keySessionMethod('checkCertificates', {}, CertificateReportSchema),
  /**
   * `kubeadm certs renew all` on the plan's control planes one at a time, each node's control-plane pods restarted
   * and its API waited for before the next, as kubespray's k8s-certs-renew.sh does; then the table read again.
   */
  'certs.renew': keySessionMethod(
    'renewCertificates',
    {
      /** The control planes to renew, by name (to finish a renewal that stopped); every control plane when absent. */
      hosts: z.array(z.string().min(1).max(63)).min(1).max(1000).optional(),
    },
    CertificateRenewalSchema,
  ),
} as const;
