// What the server hands the staff console in its page shell (server/web/console.ts → console/lib/boot.ts).
export interface ConsoleBoot {
  /** IANA zone every time is shown and typed in. */
  timezone: string;
  publicUrl: string;
  /** From ?lang= or Accept-Language; the console's own switch (localStorage) wins over it. */
  lang: 'zh-CN' | 'en';
}
