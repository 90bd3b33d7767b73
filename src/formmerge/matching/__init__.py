"""Map every form field to a (catalog item, role), with a score and the evidence behind it.

How a field is scored, for all fields of all forms at once:

1. **Role.** :class:`~formmerge.roles.RoleDetector` finds role words in the label, the key or
   the enclosing groups ("配偶身份证号码" -> spouse) and strips them, so that the rest
   ("身份证号码") is what is compared with the catalog.
2. **Text evidence.** The distinct normalised labels are scored against every item's labels and
   aliases, and the distinct compact keys against every item's key spellings (ASCII aliases and
   pinyin initials such as ``sfzhm``), each with one :func:`rapidfuzz.process.cdist` call per
   chunk; alias scores fold into item scores with :func:`numpy.maximum.reduceat`.
3. **Structural evidence**, as whole-matrix adjustments: the field's type against the item's
   type, and the detected role against the roles the item can be about.
4. **Value evidence** re-ranks each field's few best candidates: options that map onto the
   item's code list, example values that pass the item's validator, a declared format.
5. **Status** from the thresholds in :class:`~formmerge.settings.MatchSettings`; a narrow lead
   over the runner-up goes to review. Within one form, two fields of one section never take the
   same (item, role): the weaker one falls back to its next candidate; a later section's repeat
   of an (item, role) goes to review.

The package keeps one module per kind of evidence: :mod:`.query` (a prepared field),
:mod:`.subject` (whom the form is about), :mod:`.context` (the person the layout names just
before), :mod:`.labels` (bilingual parts, alternatives, abbreviations), :mod:`.scoring` (text,
English words, structure, values), :mod:`.decision` (status, role, reasons) and
:mod:`.uniqueness` (one (item, role) per section, a later section's repeat to review);
:mod:`.matcher` ties them together.

Decisions recorded by analysts (:mod:`formmerge.decisions`) and explicit ``item``/``role`` hints
on a field override all of this.
"""

from formmerge.matching.decision import deciding_reason
from formmerge.matching.matcher import FieldMatcher, match

__all__ = ["FieldMatcher", "deciding_reason", "match"]
