/* loom-prompt-memory.c: the story bible and the story so far, within a prompt's token budget
 *
 * A prompt remembers the story with what fits its budget, taken in this order, each while it
 * fits what is left:
 *
 *  1. the bible entries it must carry: first those the scene's text mentions (by name or
 *     alias), then those whose rule is "always", each in story order; an entry too big for
 *     what is left is skipped, a smaller one after it may still go in;
 *  2. the summaries of the current chapter's earlier scenes, the nearest first;
 *  3. the earlier chapters, the nearest first: first each as a chapter summary made from its
 *     scenes' summaries (the first sentence of each, shortened) while they take at most half
 *     of what is left; then, again nearest first, each of those with its scenes' summaries in
 *     full instead; then more chapters in brief, going back, with what is left after that.
 *
 * Summaries stop at the first that does not fit, so that the nearest context is what is kept.
 * (How the previous scene ends is the prompt's own business: loom-prompt.c keeps room for it
 * before it asks for any of this.) The prompt shows the summaries as one table, in story
 * order: a row without a scene number sums up a whole chapter.
 *
 * An outdated summary (its scene's prose changed since) is still the best memory of the scene
 * there is, so it goes in, with outdated: true, and the model is told that the outlines and
 * the prose quoted win where it disagrees. Every summary the prompt used, whole or in a chapter
 * summary, is an input of the generated scene (kind summary), so editing it marks that scene.
 *
 * Token counts are loom_prompt_estimate_text_tokens(): the caller checks the whole prompt
 * against its budget afterwards and drops the last part taken while it is over.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-prompt"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-chapter.h"
#include "loom-entry.h"
#include "loom-prompt.h"
#include "loom-prompt-bible.h"
#include "loom-prompt-memory.h"
#include "loom-scene.h"
#include "loom-store-summaries.h"
#include "loom-story.h"
#include "loom-toon.h"

/* A table's header, fences and the sentence that introduces it, in tokens. */
#define TABLE_TOKENS 64
/* What a row adds around its text: numbers, quotes, commas, indent and the outdated column. */
#define ROW_CHARS 24
/* A scene's part of a chapter summary is never cut shorter than this. */
#define MIN_SENTENCE_WORDS 6

typedef enum
{
  STEP_ENTRY,
  STEP_SCENE,
  STEP_SHORT,
  STEP_FULL,
} StepKind;

typedef struct
{
  StepKind kind;
  guint    index;
} Step;

typedef struct
{
  LoomScene   *scene;     /* owned */
  LoomSummary *summary;   /* borrowed from LoomPromptMemory.summaries */
  gboolean     outdated;
  guint        tokens;
} Remembered;

typedef struct
{
  LoomChapter *chapter;   /* borrowed: the story holds it */
  GArray      *scenes;    /* of Remembered, in story order */
  guint        n_scenes;  /* with those without a summary */
  char        *short_text;
  gboolean     short_outdated;
  guint        short_tokens;
  guint        full_tokens;
  guint        level;     /* 0 left out, 1 its chapter summary, 2 its scenes' summaries */
} ChapterMemory;

struct _LoomPromptMemory
{
  LoomScene   *scene;
  GHashTable  *summaries;       /* scene id → LoomSummary */
  GPtrArray   *candidates;      /* of LoomEntry, in the order they are taken */
  GArray      *entry_tokens;    /* of guint, beside candidates */
  GHashTable  *taken_entries;   /* set of LoomEntry */
  GPtrArray   *chapters;        /* of ChapterMemory, in story order, the current one last */
  guint        current_taken;   /* the current chapter's summaries taken, from the nearest */
  GArray      *steps;           /* of Step, in the order taken */
};

/* Parts */

LoomPromptPart *
loom_prompt_part_new (LoomPromptPartState  state,
                      const char          *label,
                      const char          *note,
                      guint                tokens)
{
  LoomPromptPart *part = g_new0 (LoomPromptPart, 1);

  part->state = state;
  part->label = g_strdup (label);
  part->note = g_strdup (note);
  part->tokens = tokens;
  return part;
}

void
loom_prompt_part_free (LoomPromptPart *part)
{
  if (part == NULL)
    return;
  g_free (part->label);
  g_free (part->note);
  g_free (part);
}

/**
 * loom_prompt_part_describe_state:
 *
 * Returns: (transfer full): whether the prompt carries @part, and how much or why: "included:
 *   12 entries", "left out: over the 8,000-token budget"
 */
char *
loom_prompt_part_describe_state (const LoomPromptPart *part)
{
  g_return_val_if_fail (part != NULL, NULL);

  switch (part->state)
    {
    case LOOM_PROMPT_PART_INCLUDED:
      if (part->note == NULL)
        /* Translators: said of a part of a prompt, e.g. the story bible */
        return g_strdup (_("included"));
      /* Translators: a part of a prompt is included, and how much of it: "included: 12
       * entries" */
      return g_strdup_printf (_("included: %s"), part->note);
    case LOOM_PROMPT_PART_SHORTENED:
      /* Translators: e.g. "shortened: a chapter summary made from 4 scene summaries: …" */
      return g_strdup_printf (_("shortened: %s"), part->note);
    case LOOM_PROMPT_PART_LEFT_OUT:
    default:
      /* Translators: e.g. "left out: over the 8,000-token budget" */
      return g_strdup_printf (_("left out: %s"), part->note);
    }
}

char *
loom_prompt_part_describe (const LoomPromptPart *part)
{
  g_autofree char *state = NULL;

  g_return_val_if_fail (part != NULL, NULL);

  state = loom_prompt_part_describe_state (part);
  /* Translators: a part of a prompt and whether it is included, e.g. "Chapter 2, “The
   * House”: scene summaries — left out: over the 8,000-token budget" */
  return g_strdup_printf (_("%s — %s"), part->label, state);
}

char *
loom_prompt_over_budget (guint budget)
{
  /* Translators: why a part of a prompt was left out; %'u is the budget in tokens */
  return g_strdup_printf (_("over the %'u-token budget"), budget);
}

/* Building */

static guint
row_tokens (const char *text)
{
  g_autofree char *padded = g_strdup_printf ("%*s%s", ROW_CHARS, "", text);

  return loom_prompt_estimate_text_tokens (padded);
}

static void
remembered_clear (gpointer data)
{
  Remembered *remembered = data;

  g_clear_object (&remembered->scene);
}

static void
chapter_memory_free (gpointer data)
{
  ChapterMemory *chapter = data;

  g_array_unref (chapter->scenes);
  g_free (chapter->short_text);
  g_free (chapter);
}

typedef struct
{
  guint   version;
  gint64  updated_at;
  char   *fingerprint;
} ProseMark;

static void
prose_mark_free (gpointer data)
{
  ProseMark *mark = data;

  g_free (mark->fingerprint);
  g_free (mark);
}

/* The fingerprint of @scene's loaded prose, kept with the scene until the prose changes: a
 * window that has shown every scene would otherwise hash the whole story for each prompt. */
static const char *
loaded_prose_fingerprint (LoomScene *scene)
{
  GQuark quark = g_quark_from_static_string ("loom-prompt-prose-fingerprint");
  ProseMark *mark = g_object_get_qdata (G_OBJECT (scene), quark);
  guint version = loom_scene_get_prose_version (scene);
  gint64 updated_at = loom_scene_get_updated_at (scene);

  if (mark == NULL || mark->version != version || mark->updated_at != updated_at)
    {
      mark = g_new0 (ProseMark, 1);
      mark->version = version;
      mark->updated_at = updated_at;
      mark->fingerprint = loom_summary_fingerprint_prose (loom_scene_get_prose (scene));
      g_object_set_qdata_full (G_OBJECT (scene), quark, mark, prose_mark_free);
    }
  return mark->fingerprint;
}

/* Like loom_summary_is_outdated(), without reading the whole story's prose, which would take
 * longer than all the rest of the prompt: a scene not loaded here that did not change since
 * its summary was written still has the prose the summary was made from. */
static gboolean
summary_outdated (LoomSummary *summary,
                  LoomScene   *scene)
{
  if (loom_scene_get_prose (scene) != NULL)
    return g_strcmp0 (loaded_prose_fingerprint (scene), summary->prose_fingerprint) != 0;
  if (loom_scene_get_updated_at (scene) <= summary->updated_at)
    return FALSE;
  return loom_summary_is_outdated (summary, scene);
}

static char *
first_sentence (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      const char *after = g_utf8_next_char (p);

      if (c == 0x3002 /* 。 */ ||
          ((c == '.' || c == '!' || c == '?' || c == 0x2026 /* … */) &&
           (*after == '\0' || g_unichar_isspace (g_utf8_get_char (after)))))
        return g_strndup (text, after - text);
    }
  return g_strdup (text);
}

/* A chapter's summary when its scenes' summaries are too many: the first sentence of each,
 * each shortened so that the whole stays near LOOM_PROMPT_CHAPTER_SUMMARY_WORDS words. */
static void
make_short (ChapterMemory *chapter)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint words = MAX (MIN_SENTENCE_WORDS,
                     LOOM_PROMPT_CHAPTER_SUMMARY_WORDS / MAX (chapter->scenes->len, 1));

  for (guint i = 0; i < chapter->scenes->len; i++)
    {
      Remembered *remembered = &g_array_index (chapter->scenes, Remembered, i);
      g_autofree char *sentence = first_sentence (remembered->summary->summary);
      g_autofree char *cut = loom_prompt_first_words (sentence, words);

      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, cut);
      chapter->short_outdated |= remembered->outdated;
      chapter->full_tokens += remembered->tokens;
    }
  chapter->short_text = g_string_free (g_steal_pointer (&text), FALSE);
  chapter->short_tokens = row_tokens (chapter->short_text);
}

/* @chapter's scenes' summaries, those before @before (all when %NULL). */
static ChapterMemory *
remember_chapter (LoomPromptMemory *self,
                  LoomChapter      *chapter,
                  LoomScene        *before)
{
  ChapterMemory *memory = g_new0 (ChapterMemory, 1);
  GListModel *scenes = loom_chapter_get_scenes (chapter);

  memory->chapter = chapter;
  memory->scenes = g_array_new (FALSE, TRUE, sizeof (Remembered));
  g_array_set_clear_func (memory->scenes, remembered_clear);
  for (guint i = 0; i < g_list_model_get_n_items (scenes); i++)
    {
      g_autoptr(LoomScene) scene = g_list_model_get_item (scenes, i);
      gint64 id = loom_scene_get_id (scene);
      Remembered remembered = { NULL, };

      if (scene == before)
        break;
      memory->n_scenes++;
      remembered.summary = g_hash_table_lookup (self->summaries, &id);
      if (remembered.summary == NULL)
        continue;
      remembered.outdated = summary_outdated (remembered.summary, scene);
      remembered.tokens = row_tokens (remembered.summary->summary);
      remembered.scene = g_steal_pointer (&scene);
      g_array_append_val (memory->scenes, remembered);
    }
  if (before == NULL)
    make_short (memory);
  return memory;
}

static void
choose_candidates (LoomPromptMemory *self,
                   LoomStory        *story,
                   GHashTable       *mentioned)
{
  GListModel *entries = loom_story_get_entries (story);

  /* the mentioned first, then the others whose rule is always */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
      {
        g_autoptr(LoomEntry) entry = g_list_model_get_item (entries, i);
        gboolean named = mentioned != NULL && g_hash_table_contains (mentioned, entry);
        g_autofree char *row = NULL;
        guint tokens;

        if (named != (pass == 0) || !loom_prompt_includes (loom_entry_get_inclusion (entry), named))
          continue;
        row = g_strjoin (",", loom_entry_kind_to_string (loom_entry_get_kind (entry)),
                         loom_entry_get_name (entry), loom_entry_get_aliases (entry),
                         loom_entry_get_description (entry), NULL);
        tokens = row_tokens (row);
        g_ptr_array_add (self->candidates, g_steal_pointer (&entry));
        g_array_append_val (self->entry_tokens, tokens);
      }
}

/**
 * loom_prompt_memory_new:
 * @mentioned: (nullable): what the prompt's text mentions (loom_prompt_find_mentions())
 *
 * Reads what a prompt for @scene may remember: its story's bible entries and the summaries of
 * the scenes before it. Nothing is taken until loom_prompt_memory_fill().
 *
 * Returns: (transfer full): the memory, or %NULL with @error set when the summaries could not
 *   be read
 */
LoomPromptMemory *
loom_prompt_memory_new (LoomScene   *scene,
                        GHashTable  *mentioned,
                        GError     **error)
{
  g_autoptr(LoomPromptMemory) self = g_new0 (LoomPromptMemory, 1);
  LoomChapter *current;
  LoomStory *story;
  LoomStore *store;
  GListModel *chapters;

  g_return_val_if_fail (LOOM_IS_SCENE (scene), NULL);

  current = loom_scene_get_chapter (scene);
  story = loom_chapter_get_story (current);
  store = loom_story_get_store (story);
  self->scene = g_object_ref (scene);
  self->candidates = g_ptr_array_new_with_free_func (g_object_unref);
  self->entry_tokens = g_array_new (FALSE, FALSE, sizeof (guint));
  self->taken_entries = g_hash_table_new (NULL, NULL);
  self->chapters = g_ptr_array_new_with_free_func (chapter_memory_free);
  self->steps = g_array_new (FALSE, FALSE, sizeof (Step));

  choose_candidates (self, story, mentioned);
  /* a story outside a library (never in practice) has no summaries */
  if (store == NULL)
    self->summaries = g_hash_table_new (NULL, NULL);
  else if ((self->summaries = loom_store_list_summaries (store, story, error)) == NULL)
    return NULL;

  chapters = loom_story_get_chapters (story);
  for (guint i = 0; i < g_list_model_get_n_items (chapters); i++)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (chapters, i);

      g_ptr_array_add (self->chapters,
                       remember_chapter (self, chapter, chapter == current ? scene : NULL));
      if (chapter == current)
        break;
    }
  return g_steal_pointer (&self);
}

void
loom_prompt_memory_free (LoomPromptMemory *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->scene);
  g_clear_pointer (&self->candidates, g_ptr_array_unref);
  g_clear_pointer (&self->entry_tokens, g_array_unref);
  g_clear_pointer (&self->taken_entries, g_hash_table_unref);
  g_clear_pointer (&self->chapters, g_ptr_array_unref);
  g_clear_pointer (&self->steps, g_array_unref);
  g_clear_pointer (&self->summaries, g_hash_table_unref);
  g_free (self);
}

static ChapterMemory *
current_chapter (LoomPromptMemory *self)
{
  return g_ptr_array_index (self->chapters, self->chapters->len - 1);
}

static void
take (LoomPromptMemory *self,
      StepKind          kind,
      guint             index)
{
  Step step = { kind, index };

  g_array_append_val (self->steps, step);
}

/* Takes @tokens from *@remaining, with the table's own the first time; FALSE if they do not
 * fit. */
static gboolean
fits (gint64   *remaining,
      guint     tokens,
      gboolean *table_started)
{
  gint64 needed = tokens + (*table_started ? 0 : TABLE_TOKENS);

  if (needed > *remaining)
    return FALSE;
  *remaining -= needed;
  *table_started = TRUE;
  return TRUE;
}

static void
fill_entries (LoomPromptMemory *self,
              gint64           *remaining)
{
  gboolean started = FALSE;

  for (guint i = 0; i < self->candidates->len; i++)
    if (fits (remaining, g_array_index (self->entry_tokens, guint, i), &started))
      {
        g_hash_table_add (self->taken_entries, g_ptr_array_index (self->candidates, i));
        take (self, STEP_ENTRY, i);
      }
}

/* Chapter summaries, from the chapter before *@next back, while they fit @limit of
 * *@remaining; *@next is left where to go on. */
static void
fill_shorts (LoomPromptMemory *self,
             guint            *next,
             gint64           *remaining,
             gint64            limit,
             gboolean         *started)
{
  gint64 spent = 0;

  for (; *next > 0; (*next)--)
    {
      ChapterMemory *chapter = g_ptr_array_index (self->chapters, *next - 1);
      gint64 before = *remaining;

      if (chapter->scenes->len == 0)
        continue;
      if (spent + chapter->short_tokens > limit || !fits (remaining, chapter->short_tokens, started))
        return;
      spent += before - *remaining;
      chapter->level = 1;
      take (self, STEP_SHORT, *next - 1);
    }
}

static void
fill_summaries (LoomPromptMemory *self,
                gint64           *remaining)
{
  ChapterMemory *current = current_chapter (self);
  gboolean started = FALSE;
  guint next = self->chapters->len - 1;

  for (guint i = current->scenes->len; i-- > 0;)
    {
      if (!fits (remaining, g_array_index (current->scenes, Remembered, i).tokens, &started))
        return;
      self->current_taken++;
      take (self, STEP_SCENE, i);
    }
  /* Half of what is left for the earlier chapters in brief, so that the nearest of them can
   * then be told in full; then the farther ones in brief with what is left after that. */
  fill_shorts (self, &next, remaining, *remaining / 2, &started);
  for (guint i = self->chapters->len - 1; i-- > next;)
    {
      ChapterMemory *chapter = g_ptr_array_index (self->chapters, i);
      gint64 more = (gint64) chapter->full_tokens - chapter->short_tokens;

      if (chapter->level != 1)
        continue;
      if (more > *remaining)
        break;
      *remaining -= MAX (more, 0);
      chapter->level = 2;
      take (self, STEP_FULL, i);
    }
  fill_shorts (self, &next, remaining, G_MAXINT64, &started);
}

/**
 * loom_prompt_memory_fill:
 * @available: the tokens the bible and the summaries may take
 *
 * Takes, in the order the file's comment gives, what fits @available.
 */
void
loom_prompt_memory_fill (LoomPromptMemory *self,
                         gint64            available)
{
  g_return_if_fail (self != NULL);

  fill_entries (self, &available);
  fill_summaries (self, &available);
}

/**
 * loom_prompt_memory_drop_last:
 *
 * Gives back the last part taken, for a prompt that came out over its budget after all.
 *
 * Returns: %FALSE when nothing is taken
 */
gboolean
loom_prompt_memory_drop_last (LoomPromptMemory *self)
{
  Step step;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->steps->len == 0)
    return FALSE;
  step = g_array_index (self->steps, Step, self->steps->len - 1);
  g_array_set_size (self->steps, self->steps->len - 1);
  switch (step.kind)
    {
    case STEP_ENTRY:
      g_hash_table_remove (self->taken_entries, g_ptr_array_index (self->candidates, step.index));
      break;
    case STEP_SCENE:
      self->current_taken--;
      break;
    case STEP_SHORT:
    case STEP_FULL:
      ((ChapterMemory *) g_ptr_array_index (self->chapters, step.index))->level--;
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

static void
drop_all (LoomPromptMemory *self)
{
  while (loom_prompt_memory_drop_last (self))
    ;
}

/* The user message with the memory's tables as they are taken now. */
static char *
render_taken (LoomPromptMemory        *self,
              LoomPromptMemoryRender   render,
              gpointer                 user_data,
              char                   **bible,
              char                   **story_so_far,
              GError                 **error)
{
  gboolean with_outdated = FALSE;

  g_clear_pointer (bible, g_free);
  g_clear_pointer (story_so_far, g_free);
  if ((*bible = loom_prompt_memory_bible (self, error)) == NULL ||
      (*story_so_far = loom_prompt_memory_story_so_far (self, &with_outdated, error)) == NULL)
    return NULL;
  return render (*bible, *story_so_far, with_outdated, user_data);
}

/**
 * loom_prompt_memory_fit:
 * @budget: the tokens the whole prompt may take
 * @system: the prompt's system message
 * @render: builds the user message around the tables
 * @bible: (out) (optional): the bible table the message carries
 * @story_so_far: (out) (optional): the summaries' table it carries
 *
 * Fills the memory with what the rest of the prompt leaves of @budget, then gives back what
 * it took last while the prompt is over @budget after all (the row estimates are a guess; the
 * whole prompt's estimate is the judge). The prompt stays over @budget only when what it
 * carries besides its memory is.
 *
 * Returns: (transfer full): the user message, or %NULL with @error set
 */
char *
loom_prompt_memory_fit (LoomPromptMemory        *self,
                        guint                    budget,
                        const char              *system,
                        LoomPromptMemoryRender   render,
                        gpointer                 user_data,
                        char                   **bible,
                        char                   **story_so_far,
                        GError                 **error)
{
  g_autofree char *bare = NULL;
  g_autofree char *bible_table = NULL;
  g_autofree char *story_table = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (render != NULL, NULL);

  drop_all (self);
  bare = render ("", "", FALSE, user_data);
  loom_prompt_memory_fill (self, (gint64) budget - loom_prompt_estimate_chat_tokens (system, bare));
  while (TRUE)
    {
      g_autofree char *user = render_taken (self, render, user_data, &bible_table, &story_table,
                                            error);

      if (user == NULL)
        return NULL;
      if (loom_prompt_estimate_chat_tokens (system, user) <= budget ||
          !loom_prompt_memory_drop_last (self))
        {
          if (bible != NULL)
            *bible = g_steal_pointer (&bible_table);
          if (story_so_far != NULL)
            *story_so_far = g_steal_pointer (&story_table);
          return g_steal_pointer (&user);
        }
    }
}

/**
 * loom_prompt_memory_dup_entries:
 *
 * Returns: (transfer container) (element-type LoomEntry): the entries taken, in story order
 */
GPtrArray *
loom_prompt_memory_dup_entries (LoomPromptMemory *self)
{
  GPtrArray *taken = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *entries;

  g_return_val_if_fail (self != NULL, taken);

  entries = loom_story_get_entries (loom_scene_get_story (self->scene));
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(LoomEntry) entry = g_list_model_get_item (entries, i);

      if (g_hash_table_contains (self->taken_entries, entry))
        g_ptr_array_add (taken, g_steal_pointer (&entry));
    }
  return taken;
}

/**
 * loom_prompt_memory_bible:
 *
 * Returns: (transfer full): the entries taken as a TOON table, "" for none, or %NULL with
 *   @error set
 */
char *
loom_prompt_memory_bible (LoomPromptMemory  *self,
                          GError           **error)
{
  g_autoptr(GPtrArray) entries = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  entries = loom_prompt_memory_dup_entries (self);
  return loom_prompt_bible_encode (entries, error);
}

static void
append_row (LoomToonValue *rows,
            guint          chapter,
            guint          scene,
            const char    *summary,
            gboolean       outdated,
            gboolean       with_outdated)
{
  LoomToonValue *row = loom_toon_value_new_object ();

  loom_toon_value_object_set (row, "chapter", loom_toon_value_new_int (chapter));
  loom_toon_value_object_set (row, "scene", scene > 0 ? loom_toon_value_new_int (scene)
                                                      : loom_toon_value_new_null ());
  loom_toon_value_object_set (row, "summary", loom_toon_value_new_string (summary));
  if (with_outdated)
    loom_toon_value_object_set (row, "outdated", loom_toon_value_new_boolean (outdated));
  loom_toon_value_array_append (rows, row);
}

static guint
count_outdated (ChapterMemory *chapter,
                guint          from)
{
  guint n = 0;

  for (guint i = from; i < chapter->scenes->len; i++)
    n += g_array_index (chapter->scenes, Remembered, i).outdated ? 1 : 0;
  return n;
}

/* Where the current chapter's summaries taken begin. */
static guint
current_from (LoomPromptMemory *self)
{
  return current_chapter (self)->scenes->len - self->current_taken;
}

static gboolean
any_outdated (LoomPromptMemory *self)
{
  for (guint i = 0; i + 1 < self->chapters->len; i++)
    {
      ChapterMemory *chapter = g_ptr_array_index (self->chapters, i);

      if ((chapter->level == 2 && count_outdated (chapter, 0) > 0) ||
          (chapter->level == 1 && chapter->short_outdated))
        return TRUE;
    }
  return count_outdated (current_chapter (self), current_from (self)) > 0;
}

static void
append_scenes (LoomToonValue *rows,
               ChapterMemory *chapter,
               guint          from,
               gboolean       with_outdated)
{
  guint number = loom_chapter_get_number (chapter->chapter);

  for (guint i = from; i < chapter->scenes->len; i++)
    {
      Remembered *remembered = &g_array_index (chapter->scenes, Remembered, i);

      append_row (rows, number, loom_scene_get_number (remembered->scene),
                  remembered->summary->summary, remembered->outdated, with_outdated);
    }
}

/* The rows of the table, in story order. */
static LoomToonValue *
story_rows (LoomPromptMemory *self,
            gboolean          with_outdated)
{
  LoomToonValue *rows = loom_toon_value_new_array ();

  for (guint i = 0; i + 1 < self->chapters->len; i++)
    {
      ChapterMemory *chapter = g_ptr_array_index (self->chapters, i);

      if (chapter->level == 2)
        append_scenes (rows, chapter, 0, with_outdated);
      else if (chapter->level == 1)
        append_row (rows, loom_chapter_get_number (chapter->chapter), 0, chapter->short_text,
                    chapter->short_outdated, with_outdated);
    }
  append_scenes (rows, current_chapter (self), current_from (self), with_outdated);
  return rows;
}

/**
 * loom_prompt_memory_story_so_far:
 * @with_outdated: (out): whether a summary in it is outdated (then it has the column)
 *
 * Returns: (transfer full): the summaries taken as a TOON table named "story_so_far", "" for
 *   none, or %NULL with @error set
 */
char *
loom_prompt_memory_story_so_far (LoomPromptMemory  *self,
                                 gboolean          *with_outdated,
                                 GError           **error)
{
  g_autoptr(LoomToonValue) rows = NULL;
  g_autoptr(LoomToonValue) document = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (with_outdated != NULL, NULL);

  *with_outdated = any_outdated (self);
  rows = story_rows (self, *with_outdated);
  if (loom_toon_value_get_length (rows) == 0)
    return g_strdup ("");
  document = loom_toon_value_new_object ();
  loom_toon_value_object_set (document, "story_so_far", g_steal_pointer (&rows));
  return loom_toon_encode (document, NULL, error);
}

/**
 * loom_prompt_memory_append_inputs:
 * @inputs: (element-type LoomSceneInput): a prompt's inputs
 *
 * Records every summary the prompt carries, whole or in a chapter summary.
 */
void
loom_prompt_memory_append_inputs (LoomPromptMemory *self,
                                  GArray           *inputs)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (inputs != NULL);

  for (guint i = 0; i < self->chapters->len; i++)
    {
      ChapterMemory *chapter = g_ptr_array_index (self->chapters, i);
      guint from = i + 1 < self->chapters->len
                   ? (chapter->level > 0 ? 0 : chapter->scenes->len)
                   : current_from (self);

      for (guint j = from; j < chapter->scenes->len; j++)
        {
          Remembered *remembered = &g_array_index (chapter->scenes, Remembered, j);

          loom_summary_append_input (inputs, loom_scene_get_id (remembered->scene),
                                     remembered->summary->summary);
        }
    }
}

/* Parts */

static guint
scenes_tokens (ChapterMemory *chapter,
               guint          from)
{
  guint tokens = 0;

  for (guint i = from; i < chapter->scenes->len; i++)
    tokens += g_array_index (chapter->scenes, Remembered, i).tokens;
  return tokens;
}

/* "5 scenes" or "5 scenes, 1 outdated" */
static char *
count_scenes (guint n,
              guint outdated)
{
  g_autofree char *scenes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u scene",
                                                          "%u scenes", n), n);

  if (outdated == 0)
    return g_steal_pointer (&scenes);
  /* Translators: e.g. "5 scenes, 1 outdated": summaries written before their scene changed */
  return g_strdup_printf (_("%s, %u outdated"), scenes, outdated);
}

static char *
chapter_label (ChapterMemory *chapter,
               gboolean       current)
{
  const char *title = loom_chapter_get_title (chapter->chapter);
  guint number = loom_chapter_get_number (chapter->chapter);

  if (current)
    /* Translators: a part of a prompt: the summaries of the scenes before the one the prompt
     * is for, in its chapter */
    return g_strdup_printf (_("Chapter %u, “%s”: summaries of the earlier scenes"), number,
                            title);
  /* Translators: a part of a prompt: the summaries of a chapter's scenes */
  return g_strdup_printf (_("Chapter %u, “%s”: scene summaries"), number, title);
}

static LoomPromptPart *
earlier_chapter_part (ChapterMemory *chapter,
                      const char    *over)
{
  g_autofree char *label = chapter_label (chapter, FALSE);
  g_autofree char *note = NULL;

  if (chapter->scenes->len == 0)
    return loom_prompt_part_new (LOOM_PROMPT_PART_LEFT_OUT, label,
                                 _("no scene of it has a summary yet"), 0);
  switch (chapter->level)
    {
    case 2:
      note = count_scenes (chapter->scenes->len, count_outdated (chapter, 0));
      return loom_prompt_part_new (LOOM_PROMPT_PART_INCLUDED, label, note, chapter->full_tokens);
    case 1:
      /* Translators: why a chapter's scene summaries were shortened; the second %s is "over
       * the 8,000-token budget" */
      note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "a chapter summary made from %u scene summary: "
                                           "in full it is %s",
                                           "a chapter summary made from %u scene summaries: "
                                           "in full they are %s",
                                           chapter->scenes->len),
                              chapter->scenes->len, over);
      return loom_prompt_part_new (LOOM_PROMPT_PART_SHORTENED, label, note,
                                   chapter->short_tokens);
    default:
      return loom_prompt_part_new (LOOM_PROMPT_PART_LEFT_OUT, label, over, 0);
    }
}

static LoomPromptPart *
current_chapter_part (LoomPromptMemory *self,
                      const char       *over)
{
  ChapterMemory *current = current_chapter (self);
  g_autofree char *label = chapter_label (current, TRUE);
  g_autofree char *note = NULL;
  guint n = current->scenes->len;
  guint from = current_from (self);

  if (n == 0)
    return loom_prompt_part_new (LOOM_PROMPT_PART_LEFT_OUT, label,
                                 _("no earlier scene of it has a summary yet"), 0);
  if (self->current_taken == 0)
    return loom_prompt_part_new (LOOM_PROMPT_PART_LEFT_OUT, label, over, 0);
  if (self->current_taken == n)
    {
      note = count_scenes (n, count_outdated (current, 0));
      return loom_prompt_part_new (LOOM_PROMPT_PART_INCLUDED, label, note,
                                   scenes_tokens (current, 0));
    }
  /* Translators: how much of the current chapter's summaries a prompt carries; the last %s
   * is "over the 8,000-token budget" */
  note = g_strdup_printf (_("the nearest %u of %u: the others are %s"), self->current_taken, n,
                          over);
  return loom_prompt_part_new (LOOM_PROMPT_PART_SHORTENED, label, note,
                               scenes_tokens (current, from));
}

static LoomPromptPart *
bible_part (LoomPromptMemory *self,
            gboolean          taken,
            const char       *over)
{
  g_autoptr(GString) names = g_string_new (NULL);
  guint n = 0;
  guint tokens = 0;
  guint shown = 0;

  for (guint i = 0; i < self->candidates->len; i++)
    {
      LoomEntry *entry = g_ptr_array_index (self->candidates, i);

      if (g_hash_table_contains (self->taken_entries, entry) != taken)
        continue;
      n++;
      tokens += g_array_index (self->entry_tokens, guint, i);
      if (shown++ < 3)
        g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "",
                                loom_entry_get_name (entry));
    }
  if (n == 0)
    return NULL;
  if (taken)
    {
      g_autofree char *note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u entry",
                                                            "%u entries", n), n);

      return loom_prompt_part_new (LOOM_PROMPT_PART_INCLUDED, _("Story bible"), note, tokens);
    }
  else
    {
      g_autofree char *label = NULL;

      if (n > 3)
        /* Translators: bible entries a prompt left out, e.g. "Story bible: the Mill, the Vow,
         * the Oath and 12 more" */
        label = g_strdup_printf (_("Story bible: %s and %u more"), names->str, n - 3);
      else
        /* Translators: bible entries a prompt left out, e.g. "Story bible: the Mill" */
        label = g_strdup_printf (_("Story bible: %s"), names->str);
      return loom_prompt_part_new (LOOM_PROMPT_PART_LEFT_OUT, label, over, 0);
    }
}

static gboolean
left_out_for_budget (LoomPromptMemory *self,
                     guint             i)
{
  ChapterMemory *chapter = g_ptr_array_index (self->chapters, i);

  return chapter->level == 0 && chapter->scenes->len > 0;
}

/* One part per earlier chapter, but one for a run of chapters left out for the budget: a long
 * story's list stays short. */
static void
append_earlier_parts (LoomPromptMemory *self,
                      const char       *over,
                      GPtrArray        *parts)
{
  guint n_earlier = self->chapters->len - 1;

  for (guint i = 0, j; i < n_earlier; i = j)
    {
      ChapterMemory *first = g_ptr_array_index (self->chapters, i);
      ChapterMemory *last;
      g_autofree char *label = NULL;

      for (j = i + 1; left_out_for_budget (self, i) && j < n_earlier &&
                      left_out_for_budget (self, j); j++)
        ;
      if (j - i == 1)
        {
          g_ptr_array_add (parts, earlier_chapter_part (first, over));
          continue;
        }
      last = g_ptr_array_index (self->chapters, j - 1);
      /* Translators: a part of a prompt: the scene summaries of several chapters, e.g.
       * "Chapters 1–24: scene summaries" */
      label = g_strdup_printf (_("Chapters %u–%u: scene summaries"),
                               loom_chapter_get_number (first->chapter),
                               loom_chapter_get_number (last->chapter));
      g_ptr_array_add (parts, loom_prompt_part_new (LOOM_PROMPT_PART_LEFT_OUT, label, over, 0));
    }
}

/**
 * loom_prompt_memory_append_parts:
 * @budget: the prompt's budget, for the sentences
 * @parts: (element-type LoomPromptPart): where the parts go
 *
 * Appends what was taken and what was left out and why: the bible, then the chapters in
 * story order.
 */
void
loom_prompt_memory_append_parts (LoomPromptMemory *self,
                                 guint             budget,
                                 GPtrArray        *parts)
{
  g_autofree char *over = loom_prompt_over_budget (budget);
  LoomPromptPart *part;

  g_return_if_fail (self != NULL);
  g_return_if_fail (parts != NULL);

  if ((part = bible_part (self, TRUE, over)) != NULL)
    g_ptr_array_add (parts, part);
  if ((part = bible_part (self, FALSE, over)) != NULL)
    g_ptr_array_add (parts, part);
  append_earlier_parts (self, over, parts);
  if (current_chapter (self)->n_scenes > 0)
    g_ptr_array_add (parts, current_chapter_part (self, over));
}

/**
 * loom_prompt_memory_append_text:
 * @bible: loom_prompt_memory_bible()'s table, or ""
 * @story_so_far: loom_prompt_memory_story_so_far()'s table, or ""
 *
 * Appends the tables to a prompt's user message, each with the sentence that explains it.
 */
void
loom_prompt_memory_append_text (GString    *user,
                                const char *bible,
                                const char *story_so_far,
                                gboolean    with_outdated)
{
  g_return_if_fail (user != NULL);

  if (bible != NULL && *bible != '\0')
    g_string_append_printf (user, "Story bible (places, objects, groups and lore):\n"
                            "```toon\n%s\n```\n\n", bible);
  if (story_so_far == NULL || *story_so_far == '\0')
    return;
  g_string_append (user, "The story so far, in summaries of the earlier scenes (a row without "
                         "a scene number sums up a whole chapter).");
  if (with_outdated)
    g_string_append (user, " A summary marked outdated was written before its scene last "
                           "changed: where it disagrees with the outlines or the prose quoted "
                           "here, they are right.");
  g_string_append_printf (user, "\n```toon\n%s\n```\n\n", story_so_far);
}
