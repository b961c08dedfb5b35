//! Annual reports and notices as PDF, typeset by typst used as a library. Kept in a leaf crate
//! because typst takes long to build. (Being written: the typst world and the markup come next.)
