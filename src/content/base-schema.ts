/**
 * Front-matter fields every collection shares. Collections add their own
 * fields (see `collection-registry.ts`); unknown keys are always errors.
 */
import { z } from 'zod';

/** `YYYY-MM-DD`, or a full ISO date-time with an offset. */
export const isoDateSchema = z.string().refine(
  (s) =>
    /^\d{4}-\d{2}-\d{2}$/.test(s)
      ? !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s)
      : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)),
  { message: 'must be a date like 2012-02-14 or 2012-02-14T10:00:00+08:00' },
);

/** A region to blur irreversibly, in fractions of the image. */
export const blurRegionSchema = z
  .object({
    x: z.number().min(0).max(1),
    y: z.number().min(0).max(1),
    w: z.number().gt(0).max(1),
    h: z.number().gt(0).max(1),
  })
  .strict();

/** An image reference in front matter. */
export const imageRefSchema = z
  .object({
    src: z.string().min(1),
    alt: z.string().min(1, 'alt text is required: describe the image for people who cannot see it'),
    blur: z.array(blurRegionSchema).optional(),
  })
  .strict();

/** One archived comment. Names and text only: never an e-mail or IP address. */
function commentSchema() {
  return z
    .object({
      author: z.string().min(1).max(120),
      date: isoDateSchema.optional(),
      text: z.string().max(20_000),
    })
    .strict();
}

/** Fields shared by every collection. */
export const baseFields = {
  title: z.string().min(1, 'must not be empty'),
  date: isoDateSchema.optional(),
  updated: isoDateSchema.optional(),
  tags: z.array(z.string().min(1).max(60)).default([]),
  summary: z.string().max(500).optional(),
  draft: z.boolean().default(false),
  slug: z.string().optional(),
  translationKey: z.string().optional(),
  cover: imageRefSchema.optional(),
  /** A read-only archive of comments (from `stele import`): plain text, shown escaped under the entry. */
  comments: z.array(commentSchema()).optional(),
};

export type BaseFrontMatter = z.output<z.ZodObject<typeof baseFields>>;
export type ImageRef = z.output<typeof imageRefSchema>;
