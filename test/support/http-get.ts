import { request } from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

/** GET from a loopback server with any Host header (fetch would not let a test forge one). */
export function httpGet(port: number, path: string, host = `127.0.0.1:${port}`): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: host } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
