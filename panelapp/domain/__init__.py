"""The rules of SEND and High Needs panels, kept free of storage, screens and files.

Everything here is plain Python so the rules can be tested on their own and so that the
store, the services and the screens all apply the same rules in the same words.
"""
