"""Tests of the Teams adapter: activities, rendering checked by Microsoft's parser, the app
package and the Teams test client.
"""
