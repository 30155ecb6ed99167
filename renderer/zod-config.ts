import { z } from 'zod';

// Both shells forbid eval (CSP default-src 'self'). Zod probes `new Function` when a schema is built, which logs a
// CSP violation, so this runs before any module that builds schemas: main.tsx imports it first.
z.config({ jitless: true });
