"""The web's form readers: a posted form's fields into the plain values (a contract document)
a use case takes, each field that cannot be read named in the runner's words; and back, a
stored document into the form's fields."""
