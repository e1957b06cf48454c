/* A shared object that is not an openl2tp plugin: no entry symbol. */
int not_a_plugin(void) { return 42; }
