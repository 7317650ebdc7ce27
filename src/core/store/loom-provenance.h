/* loom-provenance.h: who wrote each character of a scene's prose
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * LoomSpanOrigin:
 * @LOOM_SPAN_WRITER: typed by the writer in the window, or a replacement they asked for
 * @LOOM_SPAN_AI: written by a model and not touched since
 * @LOOM_SPAN_EDITED: written by a model, in a word the writer then changed (shortened,
 *   joined); a word that mixes the model's letters and the writer's counts as edited too
 * @LOOM_SPAN_UNKNOWN: text the library cannot account for (another program wrote it, an
 *   import, a library older than provenance): never counted as the writer's
 */
typedef enum
{
  LOOM_SPAN_WRITER,
  LOOM_SPAN_AI,
  LOOM_SPAN_EDITED,
  LOOM_SPAN_UNKNOWN,
} LoomSpanOrigin;

#define LOOM_SPAN_N_ORIGINS (LOOM_SPAN_UNKNOWN + 1)

/* A run of characters (not bytes: the text view counts characters) of one origin. */
typedef struct
{
  guint          length;
  LoomSpanOrigin origin;
  gint64         generation_id;  /* AI and edited: the request that wrote it; 0 when unknown */
} LoomSpan;

/* Words of a text by origin, as loom_count_words() counts them. */
typedef struct
{
  guint writer;
  guint kept;     /* generated and unchanged */
  guint edited;   /* generated, then changed by the writer */
  guint unknown;
} LoomWordTally;

/* The generated words (kept or edited) of one request. */
typedef struct
{
  gint64 generation_id;
  guint  words;
} LoomGenerationWords;

#define LOOM_TYPE_PROVENANCE (loom_provenance_get_type ())
G_DECLARE_FINAL_TYPE (LoomProvenance, loom_provenance, LOOM, PROVENANCE, GObject)

const char     *loom_span_origin_to_string   (LoomSpanOrigin   origin);
gboolean        loom_span_origin_from_string (const char      *text,
                                              LoomSpanOrigin  *origin);

LoomProvenance *loom_provenance_new          (guint            length,
                                              LoomSpanOrigin   origin,
                                              gint64           generation_id);
LoomProvenance *loom_provenance_copy         (LoomProvenance  *self);
guint           loom_provenance_get_length   (LoomProvenance  *self);
const LoomSpan *loom_provenance_get_spans    (LoomProvenance  *self,
                                              guint           *n_spans);
gboolean        loom_provenance_equal        (LoomProvenance  *self,
                                              LoomProvenance  *other);
LoomSpanOrigin  loom_provenance_origin_at    (LoomProvenance  *self,
                                              guint            offset,
                                              gint64          *generation_id);

void            loom_provenance_append       (LoomProvenance  *self,
                                              guint            length,
                                              LoomSpanOrigin   origin,
                                              gint64           generation_id);
void            loom_provenance_insert       (LoomProvenance  *self,
                                              guint            offset,
                                              guint            length,
                                              LoomSpanOrigin   origin,
                                              gint64           generation_id);
void            loom_provenance_insert_spans (LoomProvenance  *self,
                                              guint            offset,
                                              LoomProvenance  *piece);
void            loom_provenance_delete       (LoomProvenance  *self,
                                              guint            offset,
                                              guint            length);
void            loom_provenance_mark_edited  (LoomProvenance  *self,
                                              guint            offset,
                                              guint            length);
LoomProvenance *loom_provenance_slice        (LoomProvenance  *self,
                                              guint            offset,
                                              guint            length);

LoomProvenance *loom_provenance_rebuild      (LoomProvenance  *self,
                                              const char      *old_text,
                                              const char      *new_text,
                                              LoomSpanOrigin   inserted,
                                              gint64           generation_id);
void            loom_provenance_tally        (LoomProvenance  *self,
                                              const char      *text,
                                              LoomWordTally   *tally,
                                              GArray          *by_generation);

char           *loom_provenance_to_string    (LoomProvenance  *self);
LoomProvenance *loom_provenance_new_from_string (const char   *text);
void            loom_provenance_shift_generations (LoomProvenance *self,
                                              gint64           delta);

char           *loom_provenance_fingerprint  (const char      *text);
glong           loom_provenance_count_chars  (const char      *text,
                                              char           **fingerprint);

G_END_DECLS
