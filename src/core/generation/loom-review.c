/* loom-review.c
 *
 * The answer is compared with the passage word by word (loom-word-diff.c); each run of
 * removed and added words between unchanged ones is one change. Nothing reaches the scene
 * until loom_review_apply(), and then only the changes the writer accepted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-review"

#include "config.h"

#include <string.h>

#include "loom-chapter.h"
#include "loom-review.h"
#include "loom-scene.h"
#include "loom-store-revise.h"
#include "loom-story.h"
#include "loom-word-diff.h"

struct _LoomReview
{
  GObject           parent_instance;

  /* owned */
  LoomScene        *scene;
  char             *base_prose;
  char             *passage;
  char             *answer;
  char             *model;
  GArray           *changes;  /* LoomReviewChange */

  LoomReviseAction  action;
  gsize             from;
  gsize             to;
  gint64            generation_id;
  gint64            prompt_tokens;
  gint64            completion_tokens;
  double            cost;
  gboolean          cut_off;
};

G_DEFINE_FINAL_TYPE (LoomReview, loom_review, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_ACCEPTED,
  PROP_N_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_space_at (const char *text,
             gsize       length,
             gsize       at)
{
  return at < length && g_unichar_isspace (g_utf8_get_char_validated (text + at, length - at));
}

/* A model sometimes fences its answer in ``` or wraps it in blank lines: the passage's own
 * white space before and after is kept instead, so that only the words read as changed. */
static char *
fit_answer (const char       *answer,
            const char       *base,
            gsize             from,
            gsize             to,
            LoomReviseAction  action)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (answer ? answer : ""));
  g_autoptr(GString) fitted = g_string_new (NULL);
  gsize base_len = strlen (base);
  gsize lead = from;
  gsize trail = to;
  char *body = trimmed;

  if (g_str_has_prefix (body, "```") && g_str_has_suffix (body, "```") && strlen (body) > 6)
    {
      char *newline = strchr (body, '\n');

      body[strlen (body) - 3] = '\0';
      if (newline != NULL)
        body = g_strstrip (newline + 1);
    }

  if (action == LOOM_REVISE_CONTINUE)
    {
      /* New words join the text before and after with a space where none is. */
      if (from > 0 && !is_space_at (base, base_len, g_utf8_find_prev_char (base, base + from) - base))
        g_string_append_c (fitted, ' ');
      g_string_append (fitted, body);
      if (to < base_len && !is_space_at (base, base_len, to))
        g_string_append_c (fitted, ' ');
      return g_string_free (g_steal_pointer (&fitted), FALSE);
    }

  while (lead < to && is_space_at (base, base_len, lead))
    lead = g_utf8_next_char (base + lead) - base;
  while (trail > lead)
    {
      const char *prev = g_utf8_find_prev_char (base, base + trail);

      if (!is_space_at (base, base_len, prev - base))
        break;
      trail = prev - base;
    }
  g_string_append_len (fitted, base + from, lead - from);
  g_string_append (fitted, body);
  g_string_append_len (fitted, base + trail, to - trail);
  return g_string_free (g_steal_pointer (&fitted), FALSE);
}

static void
find_changes (LoomReview *self)
{
  g_autoptr(GArray) spans = loom_word_diff (self->passage, -1, self->answer, -1);

  for (guint i = 0; i < spans->len; i++)
    {
      LoomDiffSpan *span = &g_array_index (spans, LoomDiffSpan, i);
      LoomReviewChange change = { span->old_start, span->old_end, span->new_start,
                                  span->new_end, LOOM_CHANGE_PENDING };

      if (span->kind == LOOM_DIFF_SAME)
        continue;
      /* A removed run and the added run that replaces it are one change. */
      while (i + 1 < spans->len &&
             g_array_index (spans, LoomDiffSpan, i + 1).kind != LOOM_DIFF_SAME)
        {
          span = &g_array_index (spans, LoomDiffSpan, ++i);
          change.old_end = span->old_end;
          change.new_end = span->new_end;
        }
      g_array_append_val (self->changes, change);
    }
}

/**
 * loom_review_new:
 * @base_prose: (nullable): the scene's whole prose when the request was made
 * @from: where the passage begins in @base_prose, in bytes
 * @to: where it ends
 * @answer: the model's answer
 *
 * Returns: (transfer full): the review, every change pending
 */
LoomReview *
loom_review_new (LoomScene        *scene,
                 LoomReviseAction  action,
                 const char       *base_prose,
                 gsize             from,
                 gsize             to,
                 const char       *answer)
{
  LoomReview *self;

  g_return_val_if_fail (LOOM_IS_SCENE (scene), NULL);
  base_prose = base_prose ? base_prose : "";
  g_return_val_if_fail (from <= to && to <= strlen (base_prose), NULL);

  self = g_object_new (LOOM_TYPE_REVIEW, NULL);
  self->scene = g_object_ref (scene);
  self->action = action;
  self->base_prose = g_strdup (base_prose);
  /* Continue writes at the end of whatever was selected. */
  self->from = action == LOOM_REVISE_CONTINUE ? to : from;
  self->to = to;
  self->passage = g_strndup (base_prose + self->from, self->to - self->from);
  self->answer = fit_answer (answer, base_prose, self->from, self->to, action);
  find_changes (self);
  return self;
}

LoomScene *
loom_review_get_scene (LoomReview *self)
{
  g_return_val_if_fail (LOOM_IS_REVIEW (self), NULL);
  return self->scene;
}

LoomReviseAction
loom_review_get_action (LoomReview *self)
{
  g_return_val_if_fail (LOOM_IS_REVIEW (self), LOOM_REVISE_REWRITE);
  return self->action;
}

const char *
loom_review_get_base_prose (LoomReview *self)
{
  g_return_val_if_fail (LOOM_IS_REVIEW (self), NULL);
  return self->base_prose;
}

gsize
loom_review_get_from (LoomReview *self)
{
  g_return_val_if_fail (LOOM_IS_REVIEW (self), 0);
  return self->from;
}

gsize
loom_review_get_to (LoomReview *self)
{
  g_return_val_if_fail (LOOM_IS_REVIEW (self), 0);
  return self->to;
}

/* The passage as it was: empty for Continue. */
const char *
loom_review_get_passage (LoomReview *self)
{
  g_return_val_if_fail (LOOM_IS_REVIEW (self), NULL);
  return self->passage;
}

/* The answer as compared: with the passage's white space around it. */
const char *
loom_review_get_answer (LoomReview *self)
{
  g_return_val_if_fail (LOOM_IS_REVIEW (self), NULL);
  return self->answer;
}

guint
loom_review_get_n_changes (LoomReview *self)
{
  g_return_val_if_fail (LOOM_IS_REVIEW (self), 0);
  return self->changes->len;
}

const LoomReviewChange *
loom_review_get_change (LoomReview *self,
                        guint       index)
{
  g_return_val_if_fail (LOOM_IS_REVIEW (self), NULL);
  g_return_val_if_fail (index < self->changes->len, NULL);
  return &g_array_index (self->changes, LoomReviewChange, index);
}

guint
loom_review_count (LoomReview      *self,
                   LoomChangeState  state)
{
  guint n = 0;

  g_return_val_if_fail (LOOM_IS_REVIEW (self), 0);

  for (guint i = 0; i < self->changes->len; i++)
    n += g_array_index (self->changes, LoomReviewChange, i).state == state;
  return n;
}

static void
notify_counts (LoomReview *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ACCEPTED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
}

void
loom_review_set_state (LoomReview      *self,
                       guint            index,
                       LoomChangeState  state)
{
  LoomReviewChange *change;

  g_return_if_fail (LOOM_IS_REVIEW (self));
  g_return_if_fail (index < self->changes->len);

  change = &g_array_index (self->changes, LoomReviewChange, index);
  if (change->state == state)
    return;
  change->state = state;
  notify_counts (self);
}

void
loom_review_set_all (LoomReview      *self,
                     LoomChangeState  state)
{
  g_return_if_fail (LOOM_IS_REVIEW (self));

  for (guint i = 0; i < self->changes->len; i++)
    g_array_index (self->changes, LoomReviewChange, i).state = state;
  notify_counts (self);
}

/**
 * loom_review_get_text:
 *
 * Returns: (transfer full): the passage with the accepted changes made; the rest stays as the
 *   writer wrote it
 */
char *
loom_review_get_text (LoomReview *self)
{
  GString *text;
  gsize at = 0;

  g_return_val_if_fail (LOOM_IS_REVIEW (self), NULL);

  text = g_string_new (NULL);
  for (guint i = 0; i < self->changes->len; i++)
    {
      LoomReviewChange *change = &g_array_index (self->changes, LoomReviewChange, i);

      g_string_append_len (text, self->passage + at, change->old_start - at);
      if (change->state == LOOM_CHANGE_ACCEPTED)
        g_string_append_len (text, self->answer + change->new_start,
                             change->new_end - change->new_start);
      else
        g_string_append_len (text, self->passage + change->old_start,
                             change->old_end - change->old_start);
      at = change->old_end;
    }
  g_string_append (text, self->passage + at);
  return g_string_free (text, FALSE);
}

/* Returns: (transfer full): the scene's prose with the accepted changes made */
char *
loom_review_get_prose (LoomReview *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (LOOM_IS_REVIEW (self), NULL);

  text = loom_review_get_text (self);
  return g_strdup_printf ("%.*s%s%s", (int) self->from, self->base_prose, text,
                          self->base_prose + self->to);
}

/* Where the passage, changed as accepted, ends in loom_review_get_prose(). */
gsize
loom_review_get_end_of_text (LoomReview *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (LOOM_IS_REVIEW (self), 0);

  text = loom_review_get_text (self);
  return self->from + strlen (text);
}

/**
 * loom_review_format_diff:
 *
 * Returns: (transfer full): the passage with each change shown as `[-removed-]{+added+}`, as
 *   `git diff --word-diff` shows them
 */
char *
loom_review_format_diff (LoomReview *self)
{
  GString *out;
  gsize at = 0;

  g_return_val_if_fail (LOOM_IS_REVIEW (self), NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < self->changes->len; i++)
    {
      LoomReviewChange *change = &g_array_index (self->changes, LoomReviewChange, i);

      g_string_append_len (out, self->passage + at, change->old_start - at);
      if (change->old_end > change->old_start)
        g_string_append_printf (out, "[-%.*s-]", (int) (change->old_end - change->old_start),
                                self->passage + change->old_start);
      if (change->new_end > change->new_start)
        g_string_append_printf (out, "{+%.*s+}", (int) (change->new_end - change->new_start),
                                self->answer + change->new_start);
      at = change->old_end;
    }
  g_string_append (out, self->passage + at);
  return g_string_free (out, FALSE);
}

void
loom_review_set_usage (LoomReview *self,
                       const char *model,
                       gint64      generation_id,
                       gint64      prompt_tokens,
                       gint64      completion_tokens,
                       double      cost,
                       gboolean    cut_off)
{
  g_return_if_fail (LOOM_IS_REVIEW (self));

  g_free (self->model);
  self->model = g_strdup (model);
  self->generation_id = generation_id;
  self->prompt_tokens = prompt_tokens;
  self->completion_tokens = completion_tokens;
  self->cost = cost;
  self->cut_off = cut_off;
}

const char *
loom_review_get_model (LoomReview *self)
{
  g_return_val_if_fail (LOOM_IS_REVIEW (self), NULL);
  return self->model;
}

gint64
loom_review_get_prompt_tokens (LoomReview *self)
{
  g_return_val_if_fail (LOOM_IS_REVIEW (self), -1);
  return self->prompt_tokens;
}

gint64
loom_review_get_completion_tokens (LoomReview *self)
{
  g_return_val_if_fail (LOOM_IS_REVIEW (self), -1);
  return self->completion_tokens;
}

/* In US dollars; negative when the server did not say. */
double
loom_review_get_cost (LoomReview *self)
{
  g_return_val_if_fail (LOOM_IS_REVIEW (self), -1);
  return self->cost;
}

/* Whether the answer stopped at the length limit, so its end is missing. */
gboolean
loom_review_get_cut_off (LoomReview *self)
{
  g_return_val_if_fail (LOOM_IS_REVIEW (self), FALSE);
  return self->cut_off;
}

/* @current with the accepted changes in place of the passage, when @current is not the prose
 * the request was made from but holds the passage unchanged exactly once: what changed around
 * it is kept. %NULL when there is nothing to merge or no single place for it (Continue's empty
 * passage has none). */
static char *
merge_onto (LoomReview *self,
            const char *current)
{
  g_autofree char *text = NULL;
  const char *at;

  if (current == NULL || g_str_equal (current, self->base_prose) || *self->passage == '\0')
    return NULL;
  at = strstr (current, self->passage);
  if (at == NULL || strstr (at + 1, self->passage) != NULL)
    return NULL;
  text = loom_review_get_text (self);
  return g_strdup_printf ("%.*s%s%s", (int) (at - current), current, text,
                          at + strlen (self->passage));
}

/**
 * loom_review_apply:
 *
 * Writes the scene's prose with the accepted changes, keeping the prose before as a revision,
 * in one transaction (loom_store_apply_revise()). Nothing is written when no change is
 * accepted. When the scene changed since the request was made (typed into elsewhere, or
 * changed by another program) but the passage is still in it, word for word and only once,
 * the changes go there, onto the prose as it is now; otherwise nothing is written.
 */
gboolean
loom_review_apply (LoomReview  *self,
                   GError     **error)
{
  LoomStore *store;
  g_autofree char *prose = NULL;
  g_autofree char *merged = NULL;

  g_return_val_if_fail (LOOM_IS_REVIEW (self), FALSE);

  if (loom_review_count (self, LOOM_CHANGE_ACCEPTED) == 0)
    return TRUE;
  store = loom_story_get_store (loom_chapter_get_story (loom_scene_get_chapter (self->scene)));
  if (loom_scene_load_prose (self->scene, NULL) &&
      (merged = merge_onto (self, loom_scene_get_prose (self->scene))) != NULL)
    return loom_store_apply_revise (store, self->scene, loom_scene_get_prose (self->scene),
                                    merged, self->model, self->generation_id, error);
  prose = loom_review_get_prose (self);
  return loom_store_apply_revise (store, self->scene, self->base_prose, prose, self->model,
                                  self->generation_id, error);
}

static void
loom_review_finalize (GObject *object)
{
  LoomReview *self = LOOM_REVIEW (object);

  g_clear_object (&self->scene);
  g_clear_pointer (&self->base_prose, g_free);
  g_clear_pointer (&self->passage, g_free);
  g_clear_pointer (&self->answer, g_free);
  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->changes, g_array_unref);

  G_OBJECT_CLASS (loom_review_parent_class)->finalize (object);
}

static void
loom_review_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  LoomReview *self = LOOM_REVIEW (object);

  switch (prop_id)
    {
    case PROP_N_ACCEPTED:
      g_value_set_uint (value, loom_review_count (self, LOOM_CHANGE_ACCEPTED));
      break;
    case PROP_N_PENDING:
      g_value_set_uint (value, loom_review_count (self, LOOM_CHANGE_PENDING));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_review_class_init (LoomReviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = loom_review_finalize;
  object_class->get_property = loom_review_get_property;

  properties[PROP_N_ACCEPTED] =
    g_param_spec_uint ("n-accepted", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
loom_review_init (LoomReview *self)
{
  self->changes = g_array_new (FALSE, FALSE, sizeof (LoomReviewChange));
  self->prompt_tokens = -1;
  self->completion_tokens = -1;
  self->cost = -1;
}
