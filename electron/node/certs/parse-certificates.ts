import { X509Certificate } from 'node:crypto';
import { parse } from 'yaml';
import type { Certificate } from '../../common/certs-api';
import type { PkiFileFormat } from './kubespray-pki';

const pemBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const dayMs = 24 * 60 * 60 * 1000;

/** The certificate blocks of a PEM text, in order (a file may hold a chain, or a key beside the certificate). */
export function pemCertificateBlocks(text: string): string[] {
  return text.match(pemBlock) ?? [];
}

export function describeCertificate(pem: string, now: Date): Certificate {
  const certificate = new X509Certificate(pem);
  const notAfter = new Date(certificate.validTo);
  return {
    subject: oneLine(certificate.subject),
    issuer: oneLine(certificate.issuer),
    notBefore: new Date(certificate.validFrom).toISOString(),
    notAfter: notAfter.toISOString(),
    daysLeft: Math.floor((notAfter.getTime() - now.getTime()) / dayMs),
    isCa: certificate.ca,
  };
}

/** Node prints a distinguished name one attribute a line; a table wants "CN=x, O=y". */
const oneLine = (name: string) => name.split('\n').filter(Boolean).join(', ');

/** Every users[].user.client-certificate-data of a kubeconfig, decoded to PEM. */
function kubeconfigCertificates(text: string): string[] {
  const document = parse(text) as { users?: { user?: Record<string, unknown> }[] } | null;
  return (document?.users ?? [])
    .map((entry) => entry.user?.['client-certificate-data'])
    .filter((data): data is string => typeof data === 'string')
    .flatMap((data) => pemCertificateBlocks(Buffer.from(data, 'base64').toString('utf8')));
}

/**
 * The certificates in a file's text; throws with what was expected when there is none, so the caller can report
 * the file as unreadable with the reason.
 */
export function certificatesIn(text: string, format: PkiFileFormat, now: Date): Certificate[] {
  const blocks = format === 'pem' ? pemCertificateBlocks(text) : kubeconfigCertificates(text);
  if (blocks.length === 0) {
    throw new Error(
      format === 'pem'
        ? 'no BEGIN CERTIFICATE block in it'
        : 'no users[].user.client-certificate-data in it (a kubeconfig pointing at certificate files is not read)',
    );
  }
  return blocks.map((block, index) => {
    try {
      return describeCertificate(block, now);
    } catch (error) {
      throw new Error(`certificate ${index + 1} is not readable X.509 (${(error as Error).message})`, { cause: error });
    }
  });
}
