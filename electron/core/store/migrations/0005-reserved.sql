-- Placeholder: number 0005 belongs to a parallel branch. It only keeps this branch's sequence whole
-- (the migrator refuses gaps); drop this file when that branch's 0005 is merged.
SELECT 1;
