/* loom-enums.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The value an enum's name in the library stands for: the index of @text in @names, or -1.
 * Shared by the *_from_string () functions of the types the library stores by name. */
static inline int
loom_enum_index_of_name (const char *const *names,
                         guint              n_names,
                         const char        *text)
{
  for (guint i = 0; i < n_names; i++)
    if (g_strcmp0 (text, names[i]) == 0)
      return (int) i;
  return -1;
}

typedef enum
{
  LOOM_SCENE_STATUS_DRAFT,
  LOOM_SCENE_STATUS_GENERATING,
  LOOM_SCENE_STATUS_COMPLETE,
  LOOM_SCENE_STATUS_ERROR,
} LoomSceneStatus;

typedef enum
{
  LOOM_GENERATION_COMPLETE,
  LOOM_GENERATION_ERROR,
  LOOM_GENERATION_CANCELLED,
} LoomGenerationOutcome;

typedef enum
{
  LOOM_REVISION_GENERATION, /* the prose a regeneration replaced */
  LOOM_REVISION_RESTORE,    /* the prose a restore replaced */
  LOOM_REVISION_PARTIAL,    /* what a failed or cancelled generation had written */
  LOOM_REVISION_EDIT,       /* the prose an AI edit replaced */
  LOOM_REVISION_ELSEWHERE,  /* what another program had written over text edited here */
  LOOM_REVISION_REPLACE,    /* the prose a Replace All changed (issue 17) */
} LoomRevisionOrigin;

/* Who wrote a text: a scene's prose, or the text a revision keeps. */
typedef enum
{
  LOOM_PROSE_UNKNOWN,    /* not recorded (a library from before version 4), or no text */
  LOOM_PROSE_WRITER,     /* typed, pasted or imported by the writer */
  LOOM_PROSE_GENERATED,  /* a finished generation, untouched since */
  LOOM_PROSE_EDITED,     /* a generation the writer changed afterwards */
  LOOM_PROSE_PARTIAL,    /* what a stopped or failed generation had written */
} LoomProseOrigin;

/* Who wrote a scene's summary (loom-store-summaries.h). */
typedef enum
{
  LOOM_SUMMARY_WRITER,     /* typed by the writer: generation never replaces it */
  LOOM_SUMMARY_GENERATED,  /* the model's, from the prose it was shown */
} LoomSummaryOrigin;

/* Which scenes Generate Chapter and Generate Story draft. */
typedef enum
{
  LOOM_GENERATE_MISSING = 0,                 /* scenes without prose, or whose generation failed */
  LOOM_GENERATE_REGENERATE = 1 << 0,         /* also the generated prose already there */
  LOOM_GENERATE_OVER_WRITERS = 1 << 1,       /* also prose the writer typed or edited */
} LoomGenerateFlags;

/* What the AI does with a passage of the writer's own prose (loom-revise.h). */
typedef enum
{
  LOOM_REVISE_CONTINUE,  /* new text after the cursor */
  LOOM_REVISE_REWRITE,
  LOOM_REVISE_EXPAND,
  LOOM_REVISE_SHORTEN,
  LOOM_REVISE_DESCRIBE,  /* the senses */
  LOOM_REVISE_ASK,       /* the writer's own instruction */
} LoomReviseAction;

#define LOOM_REVISE_N_ACTIONS (LOOM_REVISE_ASK + 1)

/* What a scene's prompt was built from (see loom-store-inputs.c), as flags so that a scene can
 * say which of its inputs changed since its prose was generated. */
typedef enum /*< flags >*/
{
  LOOM_SCENE_INPUT_NONE      = 0,
  LOOM_SCENE_INPUT_OUTLINE   = 1 << 0,  /* the scene's own outline */
  LOOM_SCENE_INPUT_CHARACTER = 1 << 1,  /* a character the prompt included, each by id */
  LOOM_SCENE_INPUT_PREVIOUS  = 1 << 2,  /* how the scene before ends, or its outline if unwritten */
  LOOM_SCENE_INPUT_CHAPTER   = 1 << 3,  /* the chapter's number, title and other scenes' outlines */
  LOOM_SCENE_INPUT_STORY     = 1 << 4,  /* the story's title, premise and style notes */
  LOOM_SCENE_INPUT_ENTRY     = 1 << 5,  /* a story bible entry the prompt included, each by id */
  LOOM_SCENE_INPUT_SUMMARY   = 1 << 6,  /* an earlier scene's summary, each by that scene's id */
} LoomSceneInputs;

/* What a deletion in the trash holds; each kind takes what belongs to it along. */
typedef enum
{
  LOOM_TRASH_STORY,      /* with its chapters, scenes, characters, history and usage */
  LOOM_TRASH_CHAPTER,    /* with its scenes and their history and usage */
  LOOM_TRASH_SCENE,      /* with its history and usage */
  LOOM_TRASH_CHARACTER,
  LOOM_TRASH_ENTRY,      /* a story bible entry */
} LoomTrashKind;

/* The kinds of story bible entries besides characters (loom-entry.h). */
typedef enum
{
  LOOM_ENTRY_PLACE,
  LOOM_ENTRY_OBJECT,
  LOOM_ENTRY_GROUP,
  LOOM_ENTRY_LORE,
} LoomEntryKind;

#define LOOM_ENTRY_N_KINDS (LOOM_ENTRY_LORE + 1)

/* When a bible entry or a character goes into a scene's prompt. */
typedef enum
{
  LOOM_INCLUSION_ALWAYS,     /* characters: named ones first, the others while they fit */
  LOOM_INCLUSION_MENTIONED,  /* when its name or an alias is in the outline, the end of the
                              * previous scene or the selection being revised */
  LOOM_INCLUSION_NEVER,
} LoomInclusion;

G_END_DECLS
