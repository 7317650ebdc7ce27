/* loom-disclosure.h: a story's disclosure report, who wrote its words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "loom-provenance.h"

G_BEGIN_DECLS

typedef struct
{
  guint          number;
  char          *title;
  LoomWordTally  words;
  double         cost;      /* US dollars, of the requests about its scenes */
  guint          unpriced;  /* requests whose cost is not known */
} LoomDisclosureChapter;

typedef struct
{
  char   *model;
  guint   requests;
  double  cost;
  guint   unpriced;
  guint   words;     /* its generated words (kept or edited) still in the story */
} LoomDisclosureModel;

/**
 * LoomDisclosure:
 * @chapters: (element-type LoomDisclosureChapter): in story order
 * @models: (element-type LoomDisclosureModel): every model a request of the story went to
 * @unattributed: generated words whose request is no longer known
 *
 * What loom_store_get_disclosure() found; the story-wide requests (outline, characters) count
 * in @cost but in no chapter's.
 */
typedef struct
{
  char          *title;
  LoomWordTally  words;
  GArray        *chapters;
  GArray        *models;
  double         cost;
  guint          unpriced;
  guint          unattributed;
} LoomDisclosure;

LoomDisclosure *loom_disclosure_new         (const char           *title);
void            loom_disclosure_free        (LoomDisclosure       *self);
guint           loom_word_tally_total       (const LoomWordTally  *tally);
LoomWordTally   loom_word_tally_shares      (const LoomWordTally  *tally);
char           *loom_disclosure_to_markdown (const LoomDisclosure *self);
char           *loom_disclosure_to_text     (const LoomDisclosure *self);
char           *loom_disclosure_format_cost (double                cost,
                                             guint                 unpriced);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoomDisclosure, loom_disclosure_free)

G_END_DECLS
