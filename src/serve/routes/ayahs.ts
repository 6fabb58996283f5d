/**
 * GET /v1/ayahs/:surah/:ayah: the ayah's text and surah names as the index prints them,
 * the other places with the same text, and the reciters that have a recording of it.
 */
import type { FastifyInstance } from 'fastify';
import type { ServeContext } from '../context.js';
import { HttpError } from '../http-error.js';

export function ayahsRoute(app: FastifyInstance, ctx: ServeContext): void {
  app.get('/v1/ayahs/:surah/:ayah', async (request) => {
    const params = request.params as { surah: string; ayah: string };
    const surah = Number(params.surah);
    const ayah = Number(params.ayah);
    if (!Number.isInteger(surah) || surah < 1 || surah > 114) throw new HttpError(400, `surah must be a whole number from 1 to 114, got "${params.surah}"`);
    if (!Number.isInteger(ayah) || ayah < 1) throw new HttpError(400, `ayah must be a positive whole number, got "${params.ayah}"`);
    const lease = ctx.holder.acquire();
    try {
      const info = await lease.identifier.reader.ayah(surah, ayah);
      if (!info) throw new HttpError(404, `no ayah ${surah}:${ayah}`);
      const reciters = await ctx.holder.recitersOf(surah, ayah);
      return {
        surah,
        ayah,
        surah_name_en: info.surahNameEn,
        surah_name_ar: info.surahNameAr,
        text: info.text,
        same_text_at: info.group.filter((g) => g.surah !== surah || g.ayah !== ayah).map((g) => `${g.surah}:${g.ayah}`),
        reciters: reciters.map((r) => ({ id: r.id, name: r.nameEn, name_ar: r.nameAr ?? null, riwayah: r.riwayah })),
        index_version: lease.version,
      };
    } finally {
      lease.release();
    }
  });
}
